using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace CustomerValue.Dashboard.Tests.Rendering;

/// <summary>Renders a dashboard page component to HTML with Blazor's static renderer: no server, no browser.</summary>
public static class PageRenderer
{
    /// <summary>The page's HTML for a model.</summary>
    public static async Task<string> RenderAsync<TPage>(object model)
        where TPage : IComponent
    {
        var services = new ServiceCollection().AddLogging().BuildServiceProvider();
        await using var renderer = new HtmlRenderer(services, NullLoggerFactory.Instance);
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<TPage>(ParameterView.FromDictionary(new Dictionary<string, object?> { ["Model"] = model }));
            return output.ToHtmlString();
        });
    }
}
