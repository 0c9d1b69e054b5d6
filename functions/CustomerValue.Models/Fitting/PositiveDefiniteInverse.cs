namespace CustomerValue.Models.Fitting;

/// <summary>
/// The inverse of a small symmetric positive definite matrix (a fit's Hessian: 3×3 or 4×4) by its Cholesky factor,
/// on plain arrays. It performs MathNet.Numerics' managed Cholesky operation for operation (column-major lower factor,
/// then a forward and a back substitution per column of the identity), so the result is bit-identical to
/// <c>matrix.Cholesky().Solve(identity)</c>. It exists because MathNet's generic matrix types are not in the
/// ReadyToRun images: on the first fit of a fresh process they cost about 35 methods of JIT compilation, a third of
/// the fit's cold overhead, for a 4×4 matrix.
/// </summary>
internal static class PositiveDefiniteInverse
{
    /// <summary>
    /// The inverse of <paramref name="matrix"/>, of which only the lower triangle is read (it is taken to be symmetric);
    /// null when a pivot is not positive (the matrix is not positive definite, or holds NaN), where MathNet throws.
    /// </summary>
    public static double[,]? Of(double[,] matrix)
    {
        int n = matrix.GetLength(0);
        if (matrix.GetLength(1) != n)
        {
            throw new ArgumentException("The matrix must be square.", nameof(matrix));
        }

        // factor[j * n + i] is row i, column j (column-major, as MathNet stores it); the lower triangle becomes L.
        var factor = new double[n * n];
        for (int j = 0; j < n; j++)
        {
            for (int i = 0; i < n; i++)
            {
                factor[(j * n) + i] = matrix[i, j];
            }
        }

        var column = new double[n];
        for (int k = 0; k < n; k++)
        {
            double pivot = factor[(k * n) + k];
            if (!(pivot > 0.0))
            {
                return null;
            }

            pivot = Math.Sqrt(pivot);
            factor[(k * n) + k] = pivot;
            column[k] = pivot;
            for (int i = k + 1; i < n; i++)
            {
                factor[(k * n) + i] /= pivot;
                column[i] = factor[(k * n) + i];
            }

            for (int j = k + 1; j < n; j++)
            {
                double multiplier = column[j];
                for (int i = j; i < n; i++)
                {
                    factor[(j * n) + i] -= column[i] * multiplier;
                }
            }
        }

        var inverse = new double[n, n];
        var b = new double[n];
        for (int c = 0; c < n; c++)
        {
            Array.Clear(b);
            b[c] = 1.0;

            // L y = e_c
            for (int i = 0; i < n; i++)
            {
                double sum = b[i];
                for (int k = i - 1; k >= 0; k--)
                {
                    sum -= factor[(k * n) + i] * b[k];
                }

                b[i] = sum / factor[(i * n) + i];
            }

            // Lᵀ x = y
            for (int i = n - 1; i >= 0; i--)
            {
                double sum = b[i];
                for (int k = i + 1; k < n; k++)
                {
                    sum -= factor[(i * n) + k] * b[k];
                }

                b[i] = sum / factor[(i * n) + i];
            }

            for (int i = 0; i < n; i++)
            {
                inverse[i, c] = b[i];
            }
        }

        return inverse;
    }
}
