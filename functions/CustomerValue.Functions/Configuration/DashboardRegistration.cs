using CustomerValue.Functions.Functions.Dashboard.Pages;

namespace CustomerValue.Functions.Configuration;

/// <summary>The dashboard's services: static server rendering of its Razor components, anti-forgery, the customer search (its other queries are the APIs').</summary>
public static class DashboardRegistration
{
    /// <summary>Registers them.</summary>
    public static IServiceCollection AddDashboard(this IServiceCollection services)
    {
        services.AddRazorComponents();
        services.AddAntiforgery();
        services.AddSingleton<CustomerSearch>();
        services.AddSingleton<Functions.Dashboard.Charts.ChartCache>();
        return services;
    }
}
