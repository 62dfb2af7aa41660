namespace AkkaWal.Benchmarks;

/// <summary>Reported when a step starts (<see cref="Completed"/> steps are done, <see cref="Step"/> is running).</summary>
public readonly record struct BenchmarkProgress(int Completed, int Total, string Step);
