using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;

namespace ImageService.Api.Wire;

// Kestrel's own pool hands out 4 KiB blocks, a size it fixes in code (PinnedBlockMemoryPool); a socket
// receives into one block at a time, so the block size is the largest receive. No setting changes it,
// and .NET 10's IMemoryPoolFactory is the one door Kestrel leaves open, hence a pool of our own:
// pinned blocks (the socket receives into them asynchronously, so they must not move) of 64 KiB,
// reused while a bounded number are idle and left to the GC beyond that.
internal sealed class LargeBlockMemoryPool : MemoryPool<byte>
{
    public const int BlockSize = 64 * 1024;

    // 4 MiB kept for reuse: a busy node's connections rent and return blocks all the time, an idle
    // node's stay few.
    private const int MaxIdleBlocks = 64;

    private readonly ConcurrentQueue<Block> _idle = new();
    private int _idleCount;

    public override int MaxBufferSize => BlockSize;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        if (_idle.TryDequeue(out var block))
        {
            Interlocked.Decrement(ref _idleCount);
            return block;
        }

        return new Block(this, GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true));
    }

    private void Return(Block block)
    {
        if (Interlocked.Increment(ref _idleCount) <= MaxIdleBlocks)
        {
            _idle.Enqueue(block);
        }
        else
        {
            Interlocked.Decrement(ref _idleCount);
        }
    }

    protected override void Dispose(bool disposing)
    {
        _idle.Clear();
    }

    private sealed class Block(LargeBlockMemoryPool pool, byte[] array) : IMemoryOwner<byte>
    {
        public Memory<byte> Memory => array;

        public void Dispose() => pool.Return(this);
    }
}

internal sealed class LargeBlockMemoryPoolFactory : IMemoryPoolFactory<byte>
{
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new LargeBlockMemoryPool();
}
