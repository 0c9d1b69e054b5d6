using CustomerValue.Functions.Host;
using CustomerValue.Functions.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CustomerValue.Functions.Tests;

/// <summary>How the pipeline answers what a handler throws.</summary>
public sealed class TransientFailuresTests
{
    [Fact]
    public async Task ARequestWhoseBodyEndsEarly_IsAnswered400AndLoggedAsInformation_NotAsAnUnexpectedFailure()
    {
        // What Kestrel throws when the caller closes its connection in the middle of the body (wrk stopping a run did).
        using var logs = new InMemoryLogCapture();
        using var factory = LoggerFactory.Create(builder => builder.AddProvider(logs));
        var middleware = new TransientFailures(_ => throw new BadHttpRequestException("Unexpected end of request content.", StatusCodes.Status400BadRequest), factory.CreateLogger<TransientFailures>());
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();

        await middleware.InvokeAsync(context);

        Assert.Equal(StatusCodes.Status400BadRequest, context.Response.StatusCode);
        context.Response.Body.Position = 0;
        Assert.Contains("Unexpected end of request content", await new StreamReader(context.Response.Body).ReadToEndAsync(), StringComparison.Ordinal);
        var entry = Assert.Single(logs.Entries);
        Assert.StartsWith("Information ", entry, StringComparison.Ordinal);
    }
}
