using CustomerValue.Functions.Functions.Dashboard.Views;
using CustomerValue.Identity.Privacy;
using CustomerValue.Identity.Profiles;
using Microsoft.AspNetCore.Mvc;

namespace CustomerValue.Functions.Functions.Dashboard.Pages;

/// <summary>
/// The Customer pages: search, the profile 360, and erasure. Erasure is the one state-changing action here: a GET shows
/// a confirmation form, and only its POST, carrying the anti-forgery token and the profile id typed again, erases
/// (through <see cref="ProfileEraser"/>, as <c>DELETE api/profiles/{id}</c> does).
/// </summary>
public static class CustomerPages
{
    /// <summary>Maps the routes into the dashboard's group.</summary>
    public static void Map(RouteGroupBuilder pages)
    {
        ArgumentNullException.ThrowIfNull(pages);
        pages.MapGet("/customers", async (string? q, CustomerSearch search, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(q))
            {
                return (IResult)DashboardFunction.Page<CustomerPage>(new CustomerModel());
            }

            var (profile, problem) = await search.FindAsync(q, ct);
            if (profile is not null)
            {
                return TypedResults.Redirect(DashboardPaths.Customer(profile.Id));
            }

            return DashboardFunction.Page<CustomerPage>(new CustomerModel { Query = q, Problem = problem ?? $"Nobody found for '{q}'." },
                problem is null ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest);
        });
        pages.MapGet("/customers/{id}", async (string id, ProfileQueries profiles, CancellationToken ct) =>
        {
            var document = await profiles.FindAsync(id, ct);
            if (document?.Body is not { IsErased: false } profile)
            {
                return (IResult)DashboardFunction.Page<CustomerPage>(new CustomerModel { Query = id, Problem = $"No profile '{id}'." }, StatusCodes.Status404NotFound);
            }

            return DashboardFunction.Page<CustomerPage>(new CustomerModel { Profile = profile, Orders = await CustomerOrders.ReadAsync(profiles, profile, ct) });
        });
        pages.MapGet("/customers/{id}/erase", async (string id, ProfileQueries profiles, CancellationToken ct) =>
        {
            var profile = (await profiles.FindAsync(id, ct))?.Body;
            return profile is null || profile.IsErased
                ? DashboardFunction.Page<ErasePage>(new EraseModel { ProfileId = id, Problem = $"No profile '{id}' to erase." }, StatusCodes.Status404NotFound)
                : DashboardFunction.Page<ErasePage>(new EraseModel { ProfileId = profile.Id, Name = CustomerPage.NameOf(profile) });
        });
        // Form binding makes the endpoint require a valid anti-forgery token (UseAntiforgery): a page elsewhere cannot post here.
        pages.MapPost("/customers/{id}/erase", async (string id, [FromForm(Name = "confirm")] string? confirm, ProfileEraser eraser, CancellationToken ct) =>
        {
            if (!string.Equals(confirm?.Trim(), id, StringComparison.Ordinal))
            {
                return DashboardFunction.Page<ErasePage>(new EraseModel { ProfileId = id, Problem = "Type the profile id exactly to confirm; nothing was erased." }, StatusCodes.Status400BadRequest);
            }

            return (IResult)(await eraser.EraseProfileAsync(id, ct)
                ? DashboardFunction.Page<ErasePage>(new EraseModel { ProfileId = id, Erased = true })
                : DashboardFunction.Page<ErasePage>(new EraseModel { ProfileId = id, Problem = $"No profile '{id}' to erase." }, StatusCodes.Status404NotFound));
        });
    }
}
