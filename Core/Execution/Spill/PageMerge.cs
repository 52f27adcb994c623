namespace Spark.Serverless.Execution.Spill;

/// <summary>
/// Sorts pages of items one by one and hands out the whole in order, merging the pages' heads through a binary heap.
/// A sorter that keeps its items in fixed-size pages never copies them into a larger array as it grows: the copy and
/// the array it leaves behind as garbage (as large as the copy's source) are what doubling costs.
/// </summary>
/// <typeparam name="T">The items.</typeparam>
/// <typeparam name="TOrder">Their order: a struct, so the sort's and the merge's calls to it are direct.</typeparam>
internal sealed class PageMerge<T, TOrder> where TOrder : struct, IComparer<T>
{
    private readonly IReadOnlyList<T[]> _pages;
    private readonly int[] _counts;
    private readonly int[] _heads;
    private readonly int[] _heap;
    private readonly TOrder _order;
    private int _size;

    /// <summary>Sorts the pages' items in place and readies the merge.</summary>
    /// <param name="pages">The pages: each full but the last, which is filled from its start.</param>
    /// <param name="usedInLast">How many items the last page holds.</param>
    /// <param name="order">The order; items it calls equal come from the earlier page first.</param>
    public PageMerge(IReadOnlyList<T[]> pages, int usedInLast, TOrder order)
    {
        _pages = pages;
        _order = order;
        _counts = new int[pages.Count];
        _heads = new int[pages.Count];
        _heap = new int[pages.Count];
        for (int page = 0; page < pages.Count; page++)
        {
            _counts[page] = page == pages.Count - 1 ? usedInLast : pages[page].Length;
            if (_counts[page] == 0) continue;
            pages[page].AsSpan(0, _counts[page]).Sort(order);
            _heap[_size] = page;
            SiftUp(_size++);
        }
    }

    /// <summary>The next item in order; false once every page is used up.</summary>
    public bool TryNext(out T item)
    {
        if (_size == 0)
        {
            item = default!;
            return false;
        }
        int page = _heap[0];
        item = _pages[page][_heads[page]++];
        // The page's next item replaces its head at the root; a page used up gives the root to the heap's last.
        if (_heads[page] == _counts[page]) _heap[0] = _heap[--_size];
        if (_size > 0) SiftDown(0);
        return true;
    }

    private bool Before(int pageA, int pageB)
    {
        int c = _order.Compare(_pages[pageA][_heads[pageA]], _pages[pageB][_heads[pageB]]);
        return c != 0 ? c < 0 : pageA < pageB;
    }

    private void SiftUp(int at)
    {
        while (at > 0)
        {
            int parent = (at - 1) / 2;
            if (!Before(_heap[at], _heap[parent])) return;
            (_heap[at], _heap[parent]) = (_heap[parent], _heap[at]);
            at = parent;
        }
    }

    private void SiftDown(int at)
    {
        while (true)
        {
            int least = at, left = 2 * at + 1, right = left + 1;
            if (left < _size && Before(_heap[left], _heap[least])) least = left;
            if (right < _size && Before(_heap[right], _heap[least])) least = right;
            if (least == at) return;
            (_heap[at], _heap[least]) = (_heap[least], _heap[at]);
            at = least;
        }
    }
}
