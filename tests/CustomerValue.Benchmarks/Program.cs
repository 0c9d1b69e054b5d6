using System.CommandLine;
using CustomerValue.Benchmarks;

// The models (no command), ingest, import, stores: see BenchCommand.
return await BenchCommand.Build().Parse(args).InvokeAsync();
