using System.Net.Sockets;
using OgActors.ClientNode.Transfers;

namespace OgActors.ClientNode.Tests.Transfers;

/// <summary>Why a repository went away, as the clause the fail-over sentences carry: the socket's words, or the HTTP client's without its codes.</summary>
public sealed class RepositoryLostExceptionTests
{
    [Fact]
    public void A_refused_connection_is_named_by_the_socket_without_the_endpoint_the_sentence_already_names()
    {
        var refused = new HttpRequestException("Connection refused (127.0.0.1:5481)", new SocketException((int)SocketError.ConnectionRefused));
        RepositoryLostException.Clause(refused).Should().Be(new SocketException((int)SocketError.ConnectionRefused).Message.TrimEnd('.'));
    }

    [Fact]
    public void A_response_that_ended_early_keeps_the_http_clients_words_without_its_error_code_and_full_stop()
    {
        var ended = new HttpIOException(HttpRequestError.ResponseEnded, "The response ended prematurely, with at least 9750244 additional bytes expected.");
        ended.Message.Should().EndWith("(ResponseEnded)", "the HTTP client appends its error code");
        RepositoryLostException.Clause(ended).Should().Be("The response ended prematurely, with at least 9750244 additional bytes expected");
    }

    [Fact]
    public void A_reset_read_is_named_by_the_socket()
    {
        var reset = new IOException("Unable to read data from the transport connection: Connection reset by peer.",
            new SocketException((int)SocketError.ConnectionReset));
        RepositoryLostException.Clause(reset).Should().Be(new SocketException((int)SocketError.ConnectionReset).Message.TrimEnd('.'));
        RepositoryLostException.Clause(reset).Should().NotContain("(").And.NotEndWith(".");
    }
}
