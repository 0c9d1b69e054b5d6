using CustomerValue.Functions.Functions.Dashboard;

namespace CustomerValue.Dashboard.Tests.Rendering;

/// <summary>Who may see the dashboard: anyone who reaches a standalone server; under the Functions host only signed-in users.</summary>
public sealed class DashboardAccessTests
{
    [Theory]
    [InlineData(false, null, null, DashboardAccess.Decision.Serve)]
    [InlineData(true, null, "user-1", DashboardAccess.Decision.Off)]
    [InlineData(true, "none", "user-1", DashboardAccess.Decision.Off)]
    [InlineData(true, "AppService", null, DashboardAccess.Decision.SignIn)]
    [InlineData(true, "AppService", "", DashboardAccess.Decision.SignIn)]
    [InlineData(true, "appservice", "user-1", DashboardAccess.Decision.Serve)]
    public void Decide_UnderTheHost_ServesOnlySignedInUsersBehindAppServiceAuthentication(bool hosted, string? authentication, string? principal, DashboardAccess.Decision expected) =>
        Assert.Equal(expected, DashboardAccess.Decide(hosted, authentication, principal));
}
