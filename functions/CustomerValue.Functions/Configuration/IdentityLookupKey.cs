using CustomerValue.Identity.Profiles;

namespace CustomerValue.Functions.Configuration;

/// <summary>
/// Where the key of the identity lookup ids comes from (see <see cref="IdentityLookupIds"/>): the setting
/// <c>Identity:LookupKey</c> (app setting <c>Identity__LookupKey</c>, in Azure a Key Vault reference), or, when the
/// server is not run by the Functions host and none is set, a key generated once and kept in the data folder
/// (<see cref="FileName"/>), so local mode needs no setup.
/// </summary>
public static class IdentityLookupKey
{
    /// <summary>The setting.</summary>
    public const string SettingName = "Identity:LookupKey";

    /// <summary>The key file in the data folder.</summary>
    public const string FileName = "identity-lookup.key";

    /// <summary>
    /// The configured key, else the data folder's. Under the Functions host a missing key stops the server: every
    /// instance would generate its own key on its own disk, and the same person would get different ids on each.
    /// </summary>
    public static IdentityLookupIds Load(IConfiguration configuration, ServerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(settings);
        if (configuration[SettingName] is { Length: > 0 } configured)
        {
            // An unresolved Key Vault reference is the literal "@Microsoft.KeyVault(...)" text: using it as the key would
            // make every id computable by anyone who can read the app settings.
            if (!WebhookSecretSettings.IsUsable(configured))
            {
                throw new InvalidOperationException(
                    $"The setting {SettingName} is an unresolved Key Vault reference: grant the app's identity read access to the secret (or set the key itself).");
            }

            return IdentityLookupIds.FromText(configured);
        }

        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(ServerSettings.CustomHandlerPortVariable)))
        {
            throw new InvalidOperationException(
                $"The setting {SettingName} (app setting Identity__LookupKey) is required under the Functions host: a random key of at least {IdentityLookupIds.MinKeyBytes} bytes, base64, e.g. a Key Vault reference. It must stay the same for the life of the data.");
        }

        var path = Path.Combine(settings.DataDir, FileName);
        Directory.CreateDirectory(settings.DataDir);
        if (!File.Exists(path))
        {
            try
            {
                // CreateNew: two servers starting on one data folder must not each write their own key.
                using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                using var writer = new StreamWriter(file);
                writer.Write(IdentityLookupIds.NewKeyText());
            }
            catch (IOException) when (File.Exists(path))
            {
                // The other server won; its key is read below.
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        return IdentityLookupIds.FromText(File.ReadAllText(path));
    }
}
