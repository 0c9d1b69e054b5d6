using System.CommandLine;
using CustomerValue.Cli.Clv;
using CustomerValue.Cli.Demo;

namespace CustomerValue.Cli;

/// <summary>The tools' command line: <c>demo</c>, <c>clv</c> (analysts), <c>package</c> (deployment zip).</summary>
public static class CommandLine
{
    /// <summary>Builds the root command.</summary>
    public static RootCommand Build() => new("CustomerValue.Functions tools: the demo shop, the customer-value models for analysts, the deployment package. The server itself is functions/CustomerValue.Functions.")
    {
        DemoCommand.Build(),
        ClvCommand.Build(),
        PackageCommand.Build(),
    };
}
