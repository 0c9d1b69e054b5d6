using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Azure.Cosmos;

namespace CustomerValue.Storage.Azure.Cosmos;

/// <summary>
/// The SDK's serializer for typed APIs (change feed processor, LINQ, typed item calls) on System.Text.Json with the
/// app's <see cref="Storage.Documents.DocumentJson.Options"/>, so a body reads and writes the same as in the
/// embedded store. (The store itself uses the stream APIs and the same options.)
/// </summary>
public sealed class CosmosSystemTextJsonSerializer(JsonSerializerOptions options) : CosmosLinqSerializer
{
    private readonly JsonSerializerOptions _options = options ?? throw new ArgumentNullException(nameof(options));

    /// <inheritdoc />
    public override T FromStream<T>(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (typeof(Stream).IsAssignableFrom(typeof(T)))
        {
            return (T)(object)stream;
        }

        using (stream)
        {
            if (stream.CanSeek && stream.Length == 0)
            {
                return default!;
            }

            return JsonSerializer.Deserialize<T>(stream, _options)!;
        }
    }

    /// <inheritdoc />
    public override Stream ToStream<T>(T input)
    {
        var stream = new MemoryStream();
        JsonSerializer.Serialize(stream, input, _options);
        stream.Position = 0;
        return stream;
    }

    /// <inheritdoc />
    public override string? SerializeMemberName(MemberInfo memberInfo)
    {
        ArgumentNullException.ThrowIfNull(memberInfo);
        if (memberInfo.GetCustomAttribute<JsonExtensionDataAttribute>(true) is not null)
        {
            return null;
        }

        return memberInfo.GetCustomAttribute<JsonPropertyNameAttribute>(true)?.Name
            ?? _options.PropertyNamingPolicy?.ConvertName(memberInfo.Name)
            ?? memberInfo.Name;
    }
}
