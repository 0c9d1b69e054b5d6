using CustomerValue.Models.SpecialFunctions;

namespace CustomerValue.Models.Tests.SpecialFunctions;

public class HypergeometricTests
{
    // Reference values: mpmath 1.3 hyp2f1 at 30 significant digits.
    [Theory]
    [InlineData(1, 1, 2, 0.5, 1.3862943611198906188)]
    [InlineData(0.2426, 2.426, 2.2189, 0.9, 1.9456563361855179705)]
    [InlineData(0.5, 0.5, 1.5, -3.0, 0.76034599630094634753)]
    [InlineData(2.3, 0.7, 1.9, 0.3, 1.3593674700789236383)]
    [InlineData(10.5, 3.2, 11.5, 0.95, 2737.2676498742312789)]
    [InlineData(6.159, 1.606, 6.159, 0.09, 1.1635351934643019457)]
    [InlineData(3.5, 12.0, 13.2, 0.99, 257462.7025134780264)]
    [InlineData(-0.21, 1.7, 4.0, 0.7, 0.92447734981685607517)]
    [InlineData(1.5, 2.5, 3.5, -0.8, 0.52048178974113972501)]
    [InlineData(40.2, 42.4, 43.2, 0.6, 4940906566954695.1643)]
    [InlineData(0.1, 0.2, 0.3, 0.999, 1.4703570061353679774)]
    [InlineData(5.0, -3.0, 2.5, 0.4, -0.095619047619047626407)]
    public void Gauss2F1_MatchesHighPrecisionReference(double a, double b, double c, double z, double expected)
    {
        double actual = Hypergeometric.Gauss2F1(a, b, c, z);

        Assert.True(Math.Abs(actual - expected) <= 1e-12 * Math.Abs(expected), $"2F1({a},{b};{c};{z}) = {actual:R}, expected {expected:R}");
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(0.99)]
    [InlineData(-5)]
    public void Gauss2F1_MatchesClosedForms(double z)
    {
        // A&S 15.1.3: 2F1(1,1;2;z) = −ln(1−z)/z; A&S 15.1.8: 2F1(a,b;b;z) = (1−z)^−a.
        Assert.Equal(-Math.Log(1 - z) / z, Hypergeometric.Gauss2F1(1, 1, 2, z), 1e-13 * Math.Abs(Math.Log(1 - z) / z));
        Assert.Equal(Math.Pow(1 - z, -0.7), Hypergeometric.Gauss2F1(0.7, 1.3, 1.3, z), 1e-13 * Math.Pow(1 - z, -0.7));
    }

    [Fact]
    public void Gauss2F1_OutsideItsDomain_ThrowsOrReturnsNaN()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Hypergeometric.Gauss2F1(1, 1, 2, 1.0));
        Assert.True(double.IsNaN(Hypergeometric.Gauss2F1(1, 1, -2, 0.5)));
        Assert.True(double.IsNaN(Hypergeometric.Gauss2F1(double.NaN, 1, 2, 0.5)));
    }
}
