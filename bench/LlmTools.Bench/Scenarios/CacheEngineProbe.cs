using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;

namespace LlmTools.Bench.Scenarios;

/// <summary>
/// The engine's share of a chat cache hit, timed step by step on the module's own engine assembly (the one loaded
/// into the module's load context by the cmdlets, found among the loaded assemblies; the bench references no
/// engine, so there is only that copy). Reached by reflection: one <c>MethodInfo.Invoke</c> adds well under a
/// microsecond to each call. Steps: the cache key of a request, the raw file read, read + JSON decode, and
/// <c>ChatService.CompleteAsync</c> in replay mode (key + read + decode, what Send-LlmMessage awaits per item);
/// also <c>SettingsLoader.Load</c>, which every cmdlet invocation runs once.
/// </summary>
internal sealed class CacheEngineProbe
{
    private readonly string _moduleConfig;
    private readonly Assembly _engine;
    private readonly Type _chatResult;
    private readonly MethodInfo _load;
    private readonly MethodInfo _sourcesForProcess;
    private readonly object _overrides;

    private CacheEngineProbe(Assembly engine, string moduleConfig)
    {
        _engine = engine;
        _moduleConfig = moduleConfig;
        _chatResult = Type("LlmTools.Engine.Models.ChatResult");
        _load = Type("LlmTools.Engine.Configuration.SettingsLoader").GetMethod("Load")!;
        _sourcesForProcess = Type("LlmTools.Engine.Configuration.SettingsSources").GetMethod("ForProcess")!;
        var overridesType = Type("LlmTools.Engine.Configuration.SettingsOverrides");
        _overrides = Activator.CreateInstance(overridesType)!;
        overridesType.GetProperty("CacheMode")!.SetValue(_overrides, Enum.Parse(Type("LlmTools.Engine.Configuration.CacheMode"), "Replay"));
    }

    /// <summary>Where the engine was loaded from and into which load context, for the report.</summary>
    public string Origin => $"{Path.GetFileName(_engine.Location)} in load context '{AssemblyLoadContext.GetLoadContext(_engine)?.Name}'";

    /// <summary>The probe, or null (with the reason) when the module's engine is not loaded or its API moved on.</summary>
    public static CacheEngineProbe? TryCreate(string manifest, out string? problem)
    {
        problem = null;
        var engine = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == "LlmTools.Engine");
        if (engine is null)
        {
            problem = "LlmTools.Engine is not loaded";
            return null;
        }

        try
        {
            return new CacheEngineProbe(engine, Path.Combine(Path.GetDirectoryName(manifest)!, "config.ini"));
        }
        catch (Exception ex) when (ex is ArgumentException or NullReferenceException or MissingMemberException or TypeLoadException or TargetInvocationException)
        {
            problem = "the engine's API changed: " + ex.Message;
            return null;
        }
    }

    /// <summary>Settings as a Send-LlmMessage call in <paramref name="workingDirectory"/> with -CacheMode Replay resolves them.</summary>
    public object LoadSettings(string workingDirectory) =>
        Invoke(_load, null, Invoke(_sourcesForProcess, null, _moduleConfig, workingDirectory), _overrides)!;

    /// <summary>Milliseconds per <c>SettingsLoader.Load</c> in <paramref name="workingDirectory"/>, over <paramref name="calls"/> calls.</summary>
    public double TimeSettings(string workingDirectory, int calls)
    {
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < calls; i++)
        {
            LoadSettings(workingDirectory);
        }

        return sw.Elapsed.TotalMilliseconds / calls;
    }

    /// <summary>Per-item steps for chat prompts answered from the cache that <paramref name="workingDirectory"/>'s config names.</summary>
    public ChatSteps ForChat(string workingDirectory) => new(this, LoadSettings(workingDirectory));

    /// <summary>Per-item steps for embedding texts answered from the cache that <paramref name="workingDirectory"/>'s config names.</summary>
    public EmbeddingSteps ForEmbedding(string workingDirectory) => new(this, LoadSettings(workingDirectory));

    private Type Type(string name) => _engine.GetType(name, throwOnError: true)!;

    private static object? Invoke(MethodInfo method, object? target, params object?[] arguments)
    {
        try
        {
            return method.Invoke(target, arguments);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw new InvalidOperationException($"{method.DeclaringType?.Name}.{method.Name}: {ex.InnerException.Message}", ex.InnerException);
        }
    }

    /// <summary>The engine objects a Send-LlmMessage call builds, and one timing method per step.</summary>
    internal sealed class ChatSteps
    {
        private readonly object _cache;
        private readonly object _service;
        private readonly string _provider;
        private readonly string _host;
        private readonly string _model;
        private readonly ConstructorInfo _keyMaterial;
        private readonly MethodInfo _computeKey;
        private readonly MethodInfo _getPath;
        private readonly MethodInfo _readAll;
        private readonly MethodInfo _tryRead;
        private readonly PropertyInfo _isHit;
        private readonly MethodInfo _complete;
        private readonly MethodInfo _user;
        private readonly Type _message;
        private readonly Type _request;

        public ChatSteps(CacheEngineProbe probe, object settings)
        {
            var settingsType = settings.GetType();
            var factory = probe.Type("LlmTools.Engine.Providers.LlmClientFactory");
            _provider = (string)Invoke(factory.GetMethod("ProviderName")!, null, settings)!;
            _host = (string)Invoke(factory.GetMethod("EndpointHost")!, null, settings)!;
            _model = (string)settingsType.GetProperty("Model")!.GetValue(settings)!;
            var directory = (string)settingsType.GetProperty("CacheDirectory")!.GetValue(settings)!;
            var cacheType = probe.Type("LlmTools.Engine.Caching.FileResponseCache");
            _cache = Activator.CreateInstance(cacheType, directory, null, null)!;
            var mode = settingsType.GetProperty("CacheMode")!.GetValue(settings);
            var log = probe.Type("LlmTools.Engine.Diagnostics.NullLog").GetField("Instance")!.GetValue(null);
            var gate = Activator.CreateInstance(probe.Type("LlmTools.Engine.Caching.CacheGate"), _cache, mode, log)!;
            var serviceType = probe.Type("LlmTools.Engine.Chat.ChatService");
            _service = Activator.CreateInstance(serviceType, null, settings, log, gate)!;
            _complete = serviceType.GetMethod("CompleteAsync")!;
            _message = probe.Type("LlmTools.Engine.Models.ChatMessage");
            _user = _message.GetMethod("User")!;
            _request = probe.Type("LlmTools.Engine.Models.ChatRequest");
            _keyMaterial = probe.Type("LlmTools.Engine.Chat.ChatCacheKey").GetConstructors().Single();
            _computeKey = cacheType.GetMethod("ComputeKey")!.MakeGenericMethod(typeof(object));
            _getPath = cacheType.GetMethod("GetPath")!;
            _readAll = probe.Type("LlmTools.Engine.Caching.CacheFiles").GetMethod("ReadAll", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)!;
            _tryRead = cacheType.GetMethod("TryRead")!.MakeGenericMethod(probe._chatResult);
            _isHit = _tryRead.ReturnType.GetProperty("IsHit")!;
        }

        /// <summary>The request Send-LlmMessage builds for <paramref name="prompt"/> with default settings.</summary>
        public object Request(string prompt)
        {
            var messages = Array.CreateInstance(_message, 1);
            messages.SetValue(Invoke(_user, null, prompt), 0);
            var request = Activator.CreateInstance(_request)!;
            _request.GetProperty("Messages")!.SetValue(request, messages);
            _request.GetProperty("Model")!.SetValue(request, _model);
            return request;
        }

        public string Key(object request) => (string)Invoke(_computeKey, null, _keyMaterial.Invoke([_provider, _host, request]))!;

        /// <summary>Milliseconds per item of <paramref name="step"/> over <paramref name="prompts"/>; the inputs are prepared untimed.</summary>
        public double Time(EngineStep step, IReadOnlyList<string> prompts)
        {
            var requests = prompts.Select(Request).ToArray();
            var keys = step is EngineStep.Read or EngineStep.ReadDecode ? requests.Select(Key).ToArray() : [];
            var paths = step == EngineStep.Read ? keys.Select(k => (string)Invoke(_getPath, _cache, k)!).ToArray() : [];
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var ok = true;
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < requests.Length; i++)
            {
                ok &= step switch
                {
                    EngineStep.Key => Key(requests[i]).Length == 64,
                    EngineStep.Read => Invoke(_readAll, null, paths[i]) is byte[],
                    EngineStep.ReadDecode => (bool)_isHit.GetValue(Invoke(_tryRead, _cache, keys[i]))!,
                    EngineStep.ChatHit => ((Task)Invoke(_complete, _service, requests[i], CancellationToken.None)!).Wait(Timeout.Infinite),
                    _ => throw new ArgumentOutOfRangeException(nameof(step)),
                };
            }

            var ms = sw.Elapsed.TotalMilliseconds;
            return ok ? ms / requests.Length : throw new InvalidOperationException($"engine step {step}: not every item was a hit");
        }
    }

    /// <summary>The engine objects a Get-LlmEmbedding call builds, and one timing method per step.</summary>
    internal sealed class EmbeddingSteps
    {
        private readonly object _counter;
        private readonly object _service;
        private readonly MethodInfo _count;
        private readonly MethodInfo _prepare;
        private readonly PropertyInfo _cached;

        public EmbeddingSteps(CacheEngineProbe probe, object settings)
        {
            var settingsType = settings.GetType();
            var model = (string)settingsType.GetProperty("EmbeddingModel")!.GetValue(settings)!;
            var directory = (string)settingsType.GetProperty("CacheDirectory")!.GetValue(settings)!;
            var counterType = probe.Type("LlmTools.Engine.Tokenization.TokenCounter");
            var forModel = Invoke(counterType.GetMethod("ForModel")!, null, model)!;
            _counter = forModel.GetType().GetField("Item1")!.GetValue(forModel)!;
            _count = counterType.GetMethod("Count")!;
            var cache = Activator.CreateInstance(probe.Type("LlmTools.Engine.Caching.FileResponseCache"), directory, null, null)!;
            var mode = settingsType.GetProperty("CacheMode")!.GetValue(settings);
            var log = probe.Type("LlmTools.Engine.Diagnostics.NullLog").GetField("Instance")!.GetValue(null);
            var gate = Activator.CreateInstance(probe.Type("LlmTools.Engine.Caching.CacheGate"), cache, mode, log)!;
            var serviceType = probe.Type("LlmTools.Engine.Embeddings.EmbeddingService");
            _service = Activator.CreateInstance(serviceType, null, settings, log, null, gate)!;
            _prepare = serviceType.GetMethod("Prepare")!;
            _cached = probe.Type("LlmTools.Engine.Embeddings.EmbeddingItem").GetProperty("Cached")!;
        }

        /// <summary>Milliseconds per item of <paramref name="step"/> over <paramref name="texts"/>.</summary>
        public double Time(EngineStep step, IReadOnlyList<string> texts)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var ok = true;
            var sw = Stopwatch.StartNew();
            foreach (var text in texts)
            {
                ok &= step switch
                {
                    EngineStep.EmbeddingTokens => (int)Invoke(_count, _counter, text)! > 0,
                    EngineStep.EmbeddingHit => (bool)_cached.GetValue(Invoke(_prepare, _service, text))!,
                    _ => throw new ArgumentOutOfRangeException(nameof(step)),
                };
            }

            var ms = sw.Elapsed.TotalMilliseconds;
            return ok ? ms / texts.Count : throw new InvalidOperationException($"engine step {step}: not every item was a hit");
        }
    }
}
