using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Storage;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace Spark.Serverless.IO;

/// <summary>
/// A write-only stream into a block blob that makes few, large requests: output up to one block is sent as a
/// single Put Blob; longer output is staged block by block and committed with one Put Block List.
/// Nothing becomes visible until <see cref="Complete"/>; disposing without it discards the write, so a task
/// that fails half-way leaves no partial blob behind.
/// </summary>
public sealed class BlobWriteStream : Stream
{
    private readonly BlockBlobClient _blob;
    private readonly bool _createOnly;
    private readonly List<string> _blockIds = [];
    private byte[] _buffer;
    private int _filled;
    private long _length;
    private bool _completed;

    /// <summary>Opens the stream; the first request is made when a block fills or on <see cref="Complete"/>.</summary>
    /// <param name="blob">The blob to write.</param>
    /// <param name="blockBytes">The size of a staged block, and of the largest single-request upload.</param>
    /// <param name="createOnly">Refuse to replace an existing blob: <see cref="Complete"/> then returns false.</param>
    public BlobWriteStream(BlockBlobClient blob, int blockBytes = 8 << 20, bool createOnly = false)
    {
        _blob = blob;
        _createOnly = createOnly;
        _buffer = ArrayPool<byte>.Shared.Rent(blockBytes);
    }

    /// <summary>The blob's name.</summary>
    public string Name => _blob.Name;

    /// <summary>Storage requests made so far.</summary>
    public int Requests { get; private set; }

    /// <inheritdoc />
    public override bool CanRead => false;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => true;

    /// <summary>The bytes written so far.</summary>
    public override long Length => _length;

    /// <inheritdoc />
    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException();
    }

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        while (buffer.Length > 0)
        {
            int n = Math.Min(buffer.Length, _buffer.Length - _filled);
            buffer[..n].CopyTo(_buffer.AsSpan(_filled));
            _filled += n;
            _length += n;
            buffer = buffer[n..];
            if (_filled == _buffer.Length) StageBlock();
        }
    }

    /// <inheritdoc />
    public override void WriteByte(byte value) => Write([value]);

    /// <summary>Makes the blob visible with everything written.</summary>
    /// <returns>False when the stream is create-only and the blob already existed (it is left as it was).</returns>
    public bool Complete()
    {
        if (_completed) return true;
        var conditions = _createOnly ? new BlobRequestConditions { IfNoneMatch = ETag.All } : null;
        try
        {
            if (_blockIds.Count == 0)
            {
                using var content = new MemoryStream(_buffer, 0, _filled, writable: false);
                _blob.Upload(content, new BlobUploadOptions { Conditions = conditions });
            }
            else
            {
                if (_filled > 0) StageBlock();
                _blob.CommitBlockList(_blockIds, new CommitBlockListOptions { Conditions = conditions });
            }
        }
        catch (RequestFailedException e) when (_createOnly && e.Status is 409 or 412)
        {
            return false;
        }
        finally
        {
            Requests++;
            _completed = true;
        }
        return true;
    }

    private void StageBlock()
    {
        string id = Convert.ToBase64String(Encoding.ASCII.GetBytes(_blockIds.Count.ToString("D8", CultureInfo.InvariantCulture)));
        // A Content-MD5 with each block: the service checks the block arrived intact, and Azurite then verifies the
        // MD5 with node's native hash instead of computing the CRC64 it returns by default in JavaScript, which
        // held its block uploads to about 60 MB/s.
        var options = new BlockBlobStageBlockOptions
        {
            TransferValidation = new UploadTransferValidationOptions
            {
                ChecksumAlgorithm = StorageChecksumAlgorithm.MD5,
                PrecalculatedChecksum = MD5.HashData(_buffer.AsSpan(0, _filled)),
            },
        };
        using (var content = new MemoryStream(_buffer, 0, _filled, writable: false))
            _blob.StageBlock(id, content, options);
        _blockIds.Add(id);
        _filled = 0;
        Requests++;
    }

    /// <inheritdoc />
    public override void Flush() { }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        _completed = true;
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
        base.Dispose(disposing);
    }
}
