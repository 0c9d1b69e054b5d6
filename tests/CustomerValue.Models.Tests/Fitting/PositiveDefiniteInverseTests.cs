using CustomerValue.Models.Fitting;
using MathNet.Numerics.LinearAlgebra;

namespace CustomerValue.Models.Tests.Fitting;

public class PositiveDefiniteInverseTests
{
    /// <summary>The hand-sized inverse repeats MathNet's managed Cholesky step for step: the same bits, not just close.</summary>
    [Theory]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    [InlineData(4, 3)]
    [InlineData(4, 4)]
    [InlineData(6, 5)]
    public void Of_IsBitIdenticalToMathNetsCholeskySolve(int n, int seed)
    {
        var random = new Random(seed);
        for (int trial = 0; trial < 50; trial++)
        {
            // A Hessian-like SPD matrix with entries over many orders of magnitude: B Bᵀ scaled, plus a ridge.
            var b = new double[n, n];
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    b[i, j] = (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-3, 4));
                }
            }

            var matrix = new double[n, n];
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    for (int k = 0; k < n; k++)
                    {
                        matrix[i, j] += b[i, k] * b[j, k];
                    }
                }

                matrix[i, i] += 1e-3;
            }

            var expected = Matrix<double>.Build.DenseOfArray(matrix).Cholesky().Solve(Matrix<double>.Build.DenseIdentity(n)).ToArray();
            var actual = PositiveDefiniteInverse.Of(matrix)!;

            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    Assert.Equal(BitConverter.DoubleToInt64Bits(expected[i, j]), BitConverter.DoubleToInt64Bits(actual[i, j]));
                }
            }
        }
    }

    [Fact]
    public void Of_IsNullWhereMathNetFindsNoCholeskyFactor()
    {
        double[,] indefinite = { { 1, 2 }, { 2, 1 } };
        double[,] singular = { { 1, 1 }, { 1, 1 } };
        double[,] withNaN = { { double.NaN, 0 }, { 0, 1 } };

        Assert.Throws<ArgumentException>(() => Matrix<double>.Build.DenseOfArray(indefinite).Cholesky());
        Assert.Null(PositiveDefiniteInverse.Of(indefinite));
        Assert.Null(PositiveDefiniteInverse.Of(singular));
        Assert.Null(PositiveDefiniteInverse.Of(withNaN));
    }
}
