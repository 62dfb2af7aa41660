namespace AkkaWal.TestSupport;

/// <summary>Finds the CrashHost child process in its own build output. Test projects reference CrashHost only for
/// build order (ReferenceOutputAssembly=false): running it from its own folder keeps its dependencies (Akka, ASP.NET
/// Core's shared framework) out of test projects that must not load them, such as the storage tests.</summary>
public static class CrashHostLocator
{
    public static string CrashHostPath()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)); // tests/X/bin/<config>/<tfm>
        var tfm = output.Name;
        var configuration = output.Parent!.Name;
        var tests = output.Parent.Parent!.Parent!.Parent!.FullName;
        var own = Path.Combine(tests, "AkkaWal.CrashHost", "bin", configuration, tfm, "AkkaWal.CrashHost.dll");
        return File.Exists(own) ? own : throw new FileNotFoundException("build tests/AkkaWal.CrashHost first", own);
    }
}
