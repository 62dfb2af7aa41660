using Akka.Streams;
using Akka.Streams.Stage;

namespace AkkaWal.Persistence.Query;

/// <summary>Where a query stream is: each call reads the next items; one cursor per materialization.</summary>
internal interface IQueryCursor<out T>
{
    /// <summary>Up to max next items; empty when caught up for now.</summary>
    IReadOnlyList<T> Next(int max);

    /// <summary>True when no item will ever come again (current queries caught up to their bound, or a to-bound reached).</summary>
    bool Completed { get; }
}

/// <summary>
/// A source that drains a cursor on demand, buffering up to max-buffer-size items. A live stream sleeps when caught
/// up and is woken by the journal after each durable write (the subscribe hook); the refresh timer is only a fallback.
/// </summary>
internal sealed class QueryCursorSource<T>(
    Func<IQueryCursor<T>> createCursor,
    Action<Action>? subscribe,
    Action<Action>? unsubscribe,
    TimeSpan refreshInterval,
    int bufferSize) : GraphStage<SourceShape<T>>
{
    private readonly Outlet<T> _out = new("WalQuery.out");
    private readonly Func<IQueryCursor<T>> _createCursor = createCursor;
    private readonly Action<Action>? _subscribe = subscribe;
    private readonly Action<Action>? _unsubscribe = unsubscribe;
    private readonly TimeSpan _refreshInterval = refreshInterval;
    private readonly int _bufferSize = bufferSize;

    public override SourceShape<T> Shape => new(_out);

    protected override Attributes InitialAttributes => Attributes.CreateName("WalQuery");

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed class Logic : TimerGraphStageLogic
    {
        private readonly QueryCursorSource<T> _stage;
        private readonly Queue<T> _buffer = new();
        private IQueryCursor<T> _cursor = null!;
        private Action? _wake;

        public Logic(QueryCursorSource<T> stage) : base(stage.Shape)
        {
            _stage = stage;
            SetHandler(stage._out, onPull: Deliver);
        }

        public override void PreStart()
        {
            _cursor = _stage._createCursor();
            if (_stage._subscribe is null) return;
            var callback = GetAsyncCallback(Deliver);
            _wake = () => callback();
            _stage._subscribe(_wake);
            ScheduleRepeatedly("refresh", _stage._refreshInterval);
        }

        public override void PostStop()
        {
            if (_wake is not null) _stage._unsubscribe?.Invoke(_wake);
        }

        protected override void OnTimer(object timerKey) => Deliver();

        private void Deliver()
        {
            if (!IsAvailable(_stage._out)) return;
            Refill();
            if (_buffer.Count == 0)
            {
                if (_cursor.Completed) CompleteStage();
                return;
            }
            Push(_stage._out, _buffer.Dequeue());
            // Look ahead once the buffer is drained, so a stream whose last element was just pushed completes now,
            // not on a next pull that a subscriber with exactly used-up demand never sends.
            Refill();
            if (_buffer.Count == 0 && _cursor.Completed) CompleteStage();
        }

        private void Refill()
        {
            if (_buffer.Count == 0 && !_cursor.Completed)
                foreach (var item in _cursor.Next(_stage._bufferSize)) _buffer.Enqueue(item);
        }
    }
}
