using CustomerValue.Functions;
using CustomerValue.Functions.Host;

// First, before threads allocate: at most two glibc arenas unless MALLOC_ARENA_MAX says otherwise (see NativeHeap).
NativeHeap.LimitArenas();

// The Functions custom handler (the host starts it with --urls http://127.0.0.1:%FUNCTIONS_CUSTOMHANDLER_PORT%) and,
// started by hand, the local server that drives its own triggers. Options: --urls, --data-dir, and ASP.NET Core's own.
var app = ServerApp.Build(args);
await app.RunAsync();
