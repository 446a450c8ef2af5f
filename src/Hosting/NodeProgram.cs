using OgActors.Hosting.Configuration;

namespace OgActors.Hosting;

/// <summary>
/// The shared <c>Main</c> of the node binaries: parses the command line and environment, prints usage on --help,
/// and turns a configuration mistake into one sentence on stderr and exit code 2 (no stack trace).
/// </summary>
public static class NodeProgram
{
    public static async Task<int> RunAsync(string program, NodeRole role, string[] args, Func<NodeArguments, Task> run)
    {
        try
        {
            var arguments = NodeArguments.Parse(role, args);
            if (arguments.Help)
            {
                Console.Out.Write(NodeArguments.Usage(program, role));
                return 0;
            }
            await run(arguments);
            return 0;
        }
        catch (NodeRemovedException e)
        {
            Console.Error.WriteLine($"{program}: {e.Message}.");
            return 1;
        }
        catch (SettingsException e)
        {
            Console.Error.WriteLine($"{program}: {e.Message}");
            return 2;
        }
        catch (IOException e) when (e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        {
            Console.Error.WriteLine($"{program}: a port this node needs is already in use ({e.Message.Split('\n')[0]}).");
            return 1;
        }
    }
}
