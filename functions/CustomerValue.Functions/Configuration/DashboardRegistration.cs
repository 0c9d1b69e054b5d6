using CustomerValue.Functions.Functions.Dashboard.Pages;
using CustomerValue.Segmentation.Recompute;

namespace CustomerValue.Functions.Configuration;

/// <summary>The dashboard's services: static server rendering of its Razor components, anti-forgery, and its queries.</summary>
public static class DashboardRegistration
{
    /// <summary>Registers them.</summary>
    public static IServiceCollection AddDashboard(this IServiceCollection services)
    {
        services.AddRazorComponents();
        services.AddAntiforgery();
        services.AddSingleton<RunQueries>();
        services.AddSingleton<CustomerSearch>();
        return services;
    }
}
