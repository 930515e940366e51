using System.CommandLine;

namespace ImageService.Cli;

// `imagectl members …`: the owner shares an image with accounts; each member accepts or rejects it.
internal static class MembersCommands
{
    private const string Accepted = "accepted";
    private const string Rejected = "rejected";

    public static Command Create(Cli cli) => new CliCommand("members", "Share an image with other accounts, and accept or reject what is shared with you.",
        "imagectl members add 1bea47ed-f6a9-463b-b423-14b9cca9ad27 acct-b",
        "imagectl --profile b members accept 1bea47ed-f6a9-463b-b423-14b9cca9ad27")
    {
        List(cli), Add(cli), Show(cli), SetStatus(cli, "accept", Accepted), SetStatus(cli, "reject", Rejected), Remove(cli),
    };

    private static CliCommand List(Cli cli)
    {
        var image = ImageId();
        var command = new CliCommand("list", "List the accounts an image is shared with (listImageMembers).",
            "imagectl members list 1bea47ed-f6a9-463b-b423-14b9cca9ad27") { image };
        command.SetAction(cli.Run(async call =>
        {
            call.Output.Write(await call.Client.ListImageMembersAsync(call.Get(image), call.Cancellation), Tables.Rows("members", Tables.MemberColumns));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static CliCommand Add(Cli cli)
    {
        var image = ImageId();
        var member = new Argument<string>("member-id") { Description = "The account to share with." };
        var command = new CliCommand("add", "Share an image you own with an account; it stays pending until the account accepts (createImageMember).",
            "imagectl members add 1bea47ed-f6a9-463b-b423-14b9cca9ad27 acct-b") { image, member };
        command.SetAction(cli.Run(async call =>
        {
            call.Output.Write(await call.Client.CreateImageMemberAsync(call.Get(image), call.Get(member), call.Cancellation), Tables.Fields);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static CliCommand Show(Cli cli)
    {
        var image = ImageId();
        var member = new Argument<string>("member-id") { Description = "The member account." };
        var command = new CliCommand("show", "Show one account's membership of an image (showImageMember).",
            "imagectl members show 1bea47ed-f6a9-463b-b423-14b9cca9ad27 acct-b") { image, member };
        command.SetAction(cli.Run(async call =>
        {
            call.Output.Write(await call.Client.ShowImageMemberAsync(call.Get(image), call.Get(member), call.Cancellation), Tables.Fields);
            return ExitCodes.Ok;
        }));
        return command;
    }

    // accept and reject are the member's answer: the member id is the caller's own account, which
    // defaults to --account-id (SCP_ACCOUNT_ID, or the profile's).
    private static CliCommand SetStatus(Cli cli, string verb, string status)
    {
        var image = ImageId();
        var member = new Argument<string?>("member-id")
        {
            Description = "Your own account id (default: --account-id, SCP_ACCOUNT_ID or the profile's).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var command = new CliCommand(verb, $"Answer a share of an image with your account: set your membership to {status} (updateImageMember).",
            $"imagectl members {verb} 1bea47ed-f6a9-463b-b423-14b9cca9ad27",
            $"imagectl members {verb} 1bea47ed-f6a9-463b-b423-14b9cca9ad27 acct-b") { image, member };
        command.SetAction(cli.Run(async call =>
        {
            var memberId = call.Get(member) is { Length: > 0 } given ? given : call.Connection.Credentials.AccountId;
            if (memberId.Length == 0)
            {
                throw new CliException(ExitCodes.Usage, $"Give your account id: imagectl members {verb} <image-id> <member-id>, or set --account-id.");
            }

            call.Output.Write(await call.Client.UpdateImageMemberAsync(call.Get(image), memberId, status, call.Cancellation), Tables.Fields);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static CliCommand Remove(Cli cli)
    {
        var image = ImageId();
        var member = new Argument<string>("member-id") { Description = "The member account." };
        var command = new CliCommand("remove", "Stop sharing an image with an account (deleteImageMember).",
            "imagectl members remove 1bea47ed-f6a9-463b-b423-14b9cca9ad27 acct-b") { image, member };
        command.SetAction(cli.Run(async call =>
        {
            await call.Client.DeleteImageMemberAsync(call.Get(image), call.Get(member), call.Cancellation);
            call.Output.Message($"Removed member {call.Get(member)} from image {call.Get(image)}.");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Argument<string> ImageId() => new("image-id") { Description = "The image id." };
}
