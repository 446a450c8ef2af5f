using System.CommandLine;
using OgActors.Ctl.Api;
using OgActors.Pki;
using Spectre.Console;

namespace OgActors.Ctl.Commands;

/// <summary>
/// The pki palette, the site certificate authority on the administrator's machine (no coordinator needed):
/// <c>pki init --dir D</c> makes the CA; <c>pki issue --dir D --role server|computer --name N</c> issues a node's
/// certificate and key. See README "Certificates".
/// </summary>
public static class PkiCommands
{
    public static Command Create(CtlContext ctx)
    {
        var dir = new Option<string>("--dir") { Description = "the CA's directory (ca.crt, ca.key)", Required = true };
        var caName = new Option<string>("--name") { Description = "the CA's common name", DefaultValueFactory = _ => "OgActors site CA" };
        var caDays = new Option<int>("--days") { Description = "days the CA is valid", DefaultValueFactory = _ => 3650 };
        var init = new Command("init", "create the site CA: DIR/ca.crt (give it to every node) and DIR/ca.key (0600, keep it here)")
            { dir, caName, caDays };
        init.SetAction(parse => Run(ctx, () =>
        {
            var ca = SiteAuthority.Init(parse.GetValue(dir)!, parse.GetValue(caName)!, parse.GetValue(caDays));
            ctx.Output.Line(Markup.Escape($"Site CA '{ca.Certificate.Subject}' created in {ca.Dir} (valid until {ca.Certificate.NotAfter.ToUniversalTime():yyyy-MM-dd}); " +
                                          $"copy {SiteAuthority.CertificateFile} to every node, keep {SiteAuthority.KeyFile} here."));
        }));

        var issueDir = new Option<string>("--dir") { Description = "the CA's directory", Required = true };
        var role = new Option<string>("--role") { Description = "server (coordinator, repository) or computer (a lab PC's agent)", Required = true };
        var name = new Option<string>("--name") { Description = "the node's name: files NAME.crt and NAME.key", Required = true };
        var dns = new Option<string[]>("--dns") { Description = "a DNS name of the node (repeatable)", AllowMultipleArgumentsPerToken = false };
        var ip = new Option<string[]>("--ip") { Description = "an IP address of the node (repeatable)", AllowMultipleArgumentsPerToken = false };
        var days = new Option<int>("--days") { Description = "days the certificate is valid", DefaultValueFactory = _ => 730 };
        var output = new Option<string?>("--out") { Description = "where to write NAME.crt and NAME.key (default: the CA's directory)" };
        var issue = new Command("issue", "issue a node's certificate (role server or computer) and its key (0600)")
            { issueDir, role, name, dns, ip, days, output };
        issue.SetAction(parse => Run(ctx, () =>
        {
            var roleText = parse.GetValue(role)!;
            if (!CertificateRoles.TryParse(roleText, out var parsed))
                throw new PkiException($"--role must be server or computer, not '{roleText}'.");
            var issued = SiteAuthority.Open(parse.GetValue(issueDir)!).Issue(parse.GetValue(name)!, parsed,
                parse.GetValue(dns) ?? [], parse.GetValue(ip) ?? [], parse.GetValue(days), parse.GetValue(output));
            ctx.Output.Line(Markup.Escape($"Issued a {issued.Role.Name()} certificate for {issued.Name}: {issued.CertificatePath} and {issued.KeyPath} " +
                                          $"(valid until {issued.NotAfter:yyyy-MM-dd})."));
        }));

        return new Command("pki", "the site certificate authority: certificates for mutual TLS between nodes") { init, issue };
    }

    private static int Run(CtlContext ctx, Action work)
    {
        try
        {
            work();
            return 0;
        }
        catch (PkiException e)
        {
            ctx.Output.Error(e.Message);
            return 1;
        }
    }
}
