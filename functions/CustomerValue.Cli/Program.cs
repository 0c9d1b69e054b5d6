using CustomerValue.Cli;

// demo, clv, package: see CommandLine.
return await CommandLine.Build().Parse(args).InvokeAsync();
