namespace ParaSlm.Reasoner.Planning;

/// <summary>Whether the endpoint answered and has the model; the message says what the user can do if not.</summary>
public sealed record ModelAvailability(bool Available, string Message, string? ModelDigest)
{
    public static ModelAvailability Yes(string? digest) => new(true, "model available", digest);

    public static ModelAvailability No(string message) => new(false, message, null);
}
