using LlmTools.CacheStress;

// usage: LlmTools.CacheStress <cache dir> <writer id> <iterations> [<start file>]
// Exit code 0: every write succeeded and no read saw a torn entry; 2: a read saw one; 1: bad arguments.
if (args.Length < 3 || !int.TryParse(args[2], out var iterations))
{
    Console.Error.WriteLine("usage: LlmTools.CacheStress <cache dir> <writer id> <iterations> [<start file>]");
    return 1;
}

if (args.Length > 3)
{
    // why: process start-up takes longer than the writes; waiting for a shared signal makes them overlap
    var deadline = DateTime.UtcNow.AddSeconds(30);
    while (!File.Exists(args[3]) && DateTime.UtcNow < deadline)
    {
        Thread.Sleep(5);
    }
}

var torn = StressWriter.Run(args[0], args[1], iterations);
Console.WriteLine($"writer {args[1]}: {iterations} iterations, {torn} torn reads");
return torn == 0 ? 0 : 2;
