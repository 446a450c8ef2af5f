using System.Security.Cryptography;
using System.Text;

namespace OgActors.Coordinator.Api;

/// <summary>What an operator may do: <c>viewer</c> only reads (lists, shows, audit, watch), <c>admin</c> also changes things.</summary>
public enum OperatorRole { Viewer, Admin }

/// <summary>A named operator of the API: only the SHA-256 of their token is kept, never the token.</summary>
public sealed record ApiOperator(string Name, OperatorRole Role, byte[] TokenHash);

/// <summary>
/// Who may call the operator API (pure: no I/O). Tokens are random secrets of 24+ bytes, so a plain SHA-256 of the token is
/// what is stored and compared (a slow password hash buys nothing against a 192-bit random secret). A presented token is
/// hashed and compared with every operator's hash in constant time (<see cref="CryptographicOperations.FixedTimeEquals"/>),
/// without stopping at the first match, so the time taken says nothing about which hash, or how much of it, matched.
/// </summary>
public sealed class OperatorDirectory(IReadOnlyList<ApiOperator> operators)
{
    public const string HashPrefix = "sha256:";

    public IReadOnlyList<ApiOperator> Operators => operators;

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>"sha256:" and the lowercase hex SHA-256 of <paramref name="token"/>: the form the operators file stores.</summary>
    public static string FormatHash(string token) => HashPrefix + Convert.ToHexString(Hash(token)).ToLowerInvariant();

    /// <summary>Parses "sha256:HEX" (64 hex digits); null when <paramref name="text"/> is not such a hash.</summary>
    public static byte[]? ParseHash(string text)
    {
        if (!text.StartsWith(HashPrefix, StringComparison.OrdinalIgnoreCase)) return null;
        var hex = text[HashPrefix.Length..];
        if (hex.Length != 64 || !hex.All(Uri.IsHexDigit)) return null;
        return Convert.FromHexString(hex);
    }

    /// <summary>The operator whose token is <paramref name="token"/>, or null.</summary>
    public ApiOperator? Authenticate(string token)
    {
        var given = Hash(token);
        ApiOperator? found = null;
        foreach (var op in operators)
            if (CryptographicOperations.FixedTimeEquals(given, op.TokenHash)) found ??= op;
        return found;
    }

    /// <summary>Reads (GET, HEAD) are every operator's; anything else needs an admin. The refusal's sentence, or null when allowed.</summary>
    public static string? Refusal(ApiOperator op, string method, string path)
    {
        if (op.Role == OperatorRole.Admin || HttpMethodIsRead(method)) return null;
        return $"Operator '{op.Name}' is a viewer and may only read (lists, shows, audit, watch); {method} {path} needs an admin.";
    }

    private static bool HttpMethodIsRead(string method) =>
        string.Equals(method, "GET", StringComparison.OrdinalIgnoreCase) || string.Equals(method, "HEAD", StringComparison.OrdinalIgnoreCase);

    public static OperatorRole? ParseRole(string text) => text.Trim().ToLowerInvariant() switch
    {
        "admin" => OperatorRole.Admin,
        "viewer" => OperatorRole.Viewer,
        _ => null,
    };
}
