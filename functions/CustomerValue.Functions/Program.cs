using CustomerValue.Functions;

// The Functions custom handler (the host starts it with --urls http://127.0.0.1:%FUNCTIONS_CUSTOMHANDLER_PORT%) and,
// started by hand, the local server that drives its own triggers. Options: --urls, --data-dir, and ASP.NET Core's own.
var app = ServerApp.Build(args);
await app.RunAsync();
