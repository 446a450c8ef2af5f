using System.Text.RegularExpressions;

namespace OgActors.ClientNode.Transfers;

/// <summary>
/// The repository went away: it cannot be reached (connection refused or reset, host down), its response broke off or
/// stalled, or something in front of it answered that it is unavailable (HTTP 502/503/504). Unlike a refusal, another
/// repository holding the same content can take over (<see cref="RepositoryFailover"/>). <see cref="Why"/> is the cause as
/// a clause ("Connection refused", "no byte arrived for 30 s").
/// </summary>
public sealed class RepositoryLostException(string repository, string why, string message, Exception? inner = null)
    : RepositoryException(message, inner)
{
    public string Repository { get; } = repository;
    public string Why { get; } = why;

    /// <summary>
    /// An HTTP or socket failure as a clause for <see cref="Why"/>: the socket's own words when there are some ("Connection
    /// reset by peer", "Connection refused"), else the HTTP client's without its trailing parenthesis (an error code such as
    /// "(ResponseEnded)", or the endpoint, which the sentence names already) and final full stop ("The response ended
    /// prematurely, with at least 9750244 additional bytes expected").
    /// </summary>
    public static string Clause(Exception e)
    {
        var socket = e as System.Net.Sockets.SocketException ?? e.InnerException as System.Net.Sockets.SocketException;
        var text = (socket?.Message ?? e.Message).Trim().TrimEnd('.');
        return Regex.Replace(text, @"\s*\([^()]*\)$", "").TrimEnd('.', ' ');
    }
}
