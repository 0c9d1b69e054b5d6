using CustomerValue.Functions.Cli;

// One executable, three uses: the Functions custom handler (the host starts it with --urls), the local server
// (no command), and the command line (demo, clv).
return await CommandLine.Build().Parse(args).InvokeAsync();
