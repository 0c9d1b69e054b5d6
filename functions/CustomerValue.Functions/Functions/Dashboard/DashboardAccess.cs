using CustomerValue.Functions.Configuration;

namespace CustomerValue.Functions.Functions.Dashboard;

/// <summary>
/// Who may see the dashboard. It shows personal data, so under the Functions host (where its function is anonymous to
/// the host, as a browser carries no function key) it is served only when App Service Authentication (Entra ID) is
/// configured in front of the app (<c>Dashboard:Authentication</c> = <c>AppService</c>, set by infra/): the platform then
/// sets <c>X-MS-CLIENT-PRINCIPAL-ID</c> on signed-in requests and refuses that header from outside, and a request
/// without it is sent to sign in. Run on its own the server listens on 127.0.0.1 (or behind <c>LocalMode:ApiKey</c>).
/// </summary>
public static class DashboardAccess
{
    /// <summary>The setting naming the authentication in front of the app.</summary>
    public const string SettingName = "Dashboard:Authentication";

    /// <summary>The value for App Service Authentication.</summary>
    public const string AppService = "AppService";

    /// <summary>The header App Service Authentication sets for a signed-in user.</summary>
    public const string PrincipalHeader = "X-MS-CLIENT-PRINCIPAL-ID";

    /// <summary>What the dashboard does with a request.</summary>
    public enum Decision
    {
        /// <summary>Serve the page.</summary>
        Serve,

        /// <summary>Answer 404: under the host without App Service Authentication the dashboard is off.</summary>
        Off,

        /// <summary>Send the browser to sign in.</summary>
        SignIn,
    }

    /// <summary>The rule: standalone serves (loopback or the API key guard it); under the host only signed-in users.</summary>
    public static Decision Decide(bool hosted, string? authentication, string? principalId) =>
        !hosted ? Decision.Serve
        : !string.Equals(authentication, AppService, StringComparison.OrdinalIgnoreCase) ? Decision.Off
        : string.IsNullOrEmpty(principalId) ? Decision.SignIn
        : Decision.Serve;

    /// <summary>The endpoint filter that applies the rule to every dashboard route.</summary>
    public static async ValueTask<object?> CheckAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var hosted = http.RequestServices.GetRequiredService<ServerSettings>().Hosted;
        var configuration = http.RequestServices.GetRequiredService<IConfiguration>();
        switch (Decide(hosted, configuration[SettingName], http.Request.Headers[PrincipalHeader]))
        {
            case Decision.Off:
                return TypedResults.Problem(
                    $"The dashboard is off: it is served only behind App Service Authentication ({SettingName} = {AppService}, configured by infra/).",
                    statusCode: StatusCodes.Status404NotFound);
            case Decision.SignIn:
                var back = Uri.EscapeDataString(http.Request.PathBase + http.Request.Path + http.Request.QueryString);
                return TypedResults.Redirect("/.auth/login/aad?post_login_redirect_uri=" + back);
            default:
                return await next(context);
        }
    }
}
