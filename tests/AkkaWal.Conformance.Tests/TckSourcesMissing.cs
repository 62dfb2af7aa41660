#if !AKKA_TCK
namespace AkkaWal.Conformance.Tests;

/// <summary>Says, as a skipped test, that the conformance specs did not run because their sources are not in Tck/.</summary>
public sealed class TckSourcesMissing
{
    [Fact(Skip = "Akka.Persistence.TCK sources are not in tests/AkkaWal.Conformance.Tests/Tck (see Tck/README.md)")]
    public void Akka_persistence_TCK_sources_are_present()
    {
    }
}
#endif
