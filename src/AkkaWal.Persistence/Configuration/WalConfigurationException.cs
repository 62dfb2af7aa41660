using Akka.Configuration;

namespace AkkaWal.Persistence.Configuration;

/// <summary>A section of AkkaWal configuration cannot be used: <see cref="Problems"/> names every bad key, the value
/// found and what is allowed (all of them, not just the first).</summary>
public sealed class WalConfigurationException : ConfigurationException
{
    /// <summary>Creates the exception from every problem found.</summary>
    public WalConfigurationException(IReadOnlyList<string> problems)
        : base(string.Join(Environment.NewLine, problems))
    {
        Problems = problems.ToArray();
    }

    /// <summary>Every problem, one line each, each naming its full key.</summary>
    public IReadOnlyList<string> Problems { get; }
}
