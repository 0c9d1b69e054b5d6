using System.Text.Json;

namespace CustomerValue.Cli.Tests;

/// <summary>Reads the JSON printed by <c>clv fit</c>.</summary>
internal sealed class FitJson(string json) : IDisposable
{
    private readonly JsonDocument _document = JsonDocument.Parse(json);

    public JsonElement Root => _document.RootElement;

    public JsonElement Model(string name) => Root.GetProperty("models").GetProperty(name);

    public double Param(string model, string name) => Model(model).GetProperty("params").GetProperty(name).GetDouble();

    public void Dispose() => _document.Dispose();
}
