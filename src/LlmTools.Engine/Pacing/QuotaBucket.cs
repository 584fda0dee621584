namespace LlmTools.Engine.Pacing;

/// <summary>
/// One limit (requests or tokens) as the provider enforces it: a bucket that holds up to <see cref="Capacity"/> and
/// refills continuously at <see cref="RatePerSecond"/>. A request takes its cost when it is sent; one that costs more
/// than the whole bucket goes when the bucket is full and leaves it in debt. Not thread-safe: the limiter locks.
/// </summary>
internal sealed class QuotaBucket
{
    private double _level;
    private double _stamp; // why seconds: the limiter's clock; buckets need no ticks

    /// <summary>True once a limit is known (configured or learned); an unknown limit never holds a request back.</summary>
    public bool IsKnown => Capacity > 0;

    /// <summary>Most the bucket holds.</summary>
    public double Capacity { get; private set; }

    /// <summary>Refill per second.</summary>
    public double RatePerSecond { get; private set; }

    /// <summary>The limit per minute as people say it (what the provider advertises or the user configured).</summary>
    public double PerMinute { get; private set; }

    /// <summary>True when the user set this limit: then what servers say does not change it.</summary>
    public bool IsConfigured { get; private set; }

    /// <summary>
    /// A limit the user set, paced evenly, at most one second's worth at once (no minute-long burst); null hands the
    /// limit back to what servers advertise.
    /// </summary>
    public void Configure(double? perMinuteOrNull, double now)
    {
        if (perMinuteOrNull is not { } perMinute)
        {
            if (IsConfigured)
            {
                IsConfigured = false;
                Capacity = RatePerSecond = PerMinute = 0;
            }

            return;
        }

        if (IsConfigured && PerMinute == perMinute)
        {
            return;
        }

        IsConfigured = true;
        PerMinute = perMinute;
        RatePerSecond = perMinute / 60;
        Capacity = Math.Max(1, RatePerSecond);
        _level = Capacity;
        _stamp = now;
    }

    /// <summary>
    /// A limit the server advertised. The refill rate is the per-minute one, or faster when the reset header says the
    /// bucket refills faster (servers that enforce per second, or test servers with a short window).
    /// </summary>
    /// <returns>True when the limit changed (worth a verbose line).</returns>
    public bool Learn(QuotaReading reading, double now)
    {
        if (IsConfigured)
        {
            return false;
        }

        var limit = reading.Limit ?? (reading.Remaining is { } remaining ? Math.Max(remaining, Capacity) : 0);
        if (limit <= 0)
        {
            return false;
        }

        var rate = limit / 60;
        if (reading is { Remaining: { } left, Reset: { TotalSeconds: > 0 } reset } && limit > left)
        {
            rate = Math.Max(rate, (limit - left) / reset.TotalSeconds);
        }

        var changed = Math.Abs(limit - Capacity) >= 0.5;
        if (Capacity <= 0)
        {
            _level = limit;
            _stamp = now;
        }

        Refill(now);
        Capacity = limit;
        PerMinute = limit;
        RatePerSecond = rate;
        return changed;
    }

    /// <summary>
    /// Sets the level from what the server said remained when it admitted a request, minus what was sent after that
    /// request (the server had not counted those yet). Why no refill since then: the server's clock started when the
    /// request arrived, which may be well after it was sent (a new connection); crediting less is the safe side, and
    /// it only trims the burst, never the steady pace. <paramref name="mayRaise"/> is false while a request sent
    /// earlier is still unanswered: it may reach the server after this one, so the server's figure may not count it
    /// yet, and only a lower level is believed.
    /// </summary>
    public void Sync(double remaining, double sentSince, double now, bool mayRaise)
    {
        if (IsConfigured || !IsKnown)
        {
            return;
        }

        Refill(now);
        var level = Math.Min(Capacity, remaining) - sentSince;
        _level = mayRaise ? level : Math.Min(_level, level);
    }

    /// <summary>Seconds until <paramref name="cost"/> may go (0: now).</summary>
    public double SecondsUntil(double cost, double now)
    {
        if (!IsKnown)
        {
            return 0;
        }

        Refill(now);

        // why headroom: requests reach the server a little earlier or later than they were sent (a busy CPU, a new
        // connection); a quarter second of refill (at most a tenth of the bucket) absorbs that jitter, trimming the
        // first burst only, never the steady pace
        var headroom = Math.Min(RatePerSecond * 0.25, Capacity * 0.1);
        var needed = Math.Min(cost + headroom, Capacity); // why: a request bigger than the bucket goes when the bucket is full
        return _level >= needed ? 0 : (needed - _level) / RatePerSecond;
    }

    /// <summary>Takes <paramref name="cost"/> (the level may go below zero: debt the next requests wait out).</summary>
    public void Take(double cost) => _level -= IsKnown ? cost : 0;

    /// <summary>Gives back what a request was charged beyond its real cost (configured limits, servers without headers).</summary>
    public void Return(double amount) => _level = Math.Min(Capacity, _level + (IsKnown ? amount : 0));

    private void Refill(double now)
    {
        if (now > _stamp)
        {
            _level = Math.Min(Capacity, _level + (RatePerSecond * (now - _stamp)));
            _stamp = now;
        }
    }
}

/// <summary>
/// First come, first served, with a front door for requests the server refused (they are the oldest of the run, and
/// ordered output waits for them). Why not SemaphoreSlim: it has no way to let one waiter jump the queue.
/// </summary>
internal sealed class Turnstile
{
    private readonly LinkedList<TaskCompletionSource> _waiting = new();
    private bool _taken;

    /// <summary>Waits for the turn; <paramref name="first"/> queues at the front.</summary>
    public async Task EnterAsync(bool first, CancellationToken cancellationToken)
    {
        LinkedListNode<TaskCompletionSource> node;
        lock (_waiting)
        {
            if (!_taken)
            {
                _taken = true;
                return;
            }

            var turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            node = first ? _waiting.AddFirst(turn) : _waiting.AddLast(turn);
        }

        using (cancellationToken.Register(() => Abandon(node)))
        {
            await node.Value.Task.ConfigureAwait(false);
        }
    }

    /// <summary>Hands the turn to the next waiter.</summary>
    public void Leave()
    {
        lock (_waiting)
        {
            if (_waiting.First is { } next)
            {
                _waiting.RemoveFirst();
                next.Value.TrySetResult(); // why: the turn passes on without being released in between
            }
            else
            {
                _taken = false;
            }
        }
    }

    private void Abandon(LinkedListNode<TaskCompletionSource> node)
    {
        lock (_waiting)
        {
            if (node.List is null)
            {
                return; // why: it already got the turn; its owner leaves it
            }

            _waiting.Remove(node);
        }

        node.Value.TrySetCanceled();
    }
}
