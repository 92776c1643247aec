using ParaSlm.Analyzer.Facts;
using ParaSlm.Reasoner.Planning;
using ParaSlm.Reasoner.Tests.Cache;

namespace ParaSlm.Reasoner.Tests.Planning;

/// <summary>
/// `LoopIndex`: the file's loops by id (the first of an id wins, as the planners' `TryAdd` did) and each loop's children
/// in file order, built once, so the choosers that ask for children of every loop (`ScheduleChooser.LightIterations`,
/// `Collapse`) are linear in a file's loops. Same answers as scanning every loop.
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed class LoopIndexTests
{
    private static LoopFacts At(int line, string? parent) => CacheTestData.Loop(line: line) with { ParentId = parent };

    [Test]
    public void Children_come_in_file_order_and_the_first_loop_of_an_id_wins()
    {
        var outer = At(1, null);
        var a = At(2, outer.Id);
        var b = At(5, outer.Id);
        var inner = At(3, a.Id);
        var duplicate = At(1, null) with { Function = "other" };
        var index = LoopIndex.Of([outer, a, inner, b, duplicate]);
        Assert.That(index.Count, Is.EqualTo(4));
        Assert.That(index[outer.Id].Function, Is.EqualTo("f"));
        Assert.That(index.Children(outer.Id).Select(l => l.Line), Is.EqualTo(new[] { 2, 5 }));
        Assert.That(index.Children(a.Id).Single().Line, Is.EqualTo(3));
        Assert.That(index.Children(inner.Id), Is.Empty);
        Assert.That(index.Children("nowhere.c:9:9"), Is.Empty);
    }

    [Test]
    public void An_index_is_reused_and_a_plain_dictionary_gets_one_with_the_same_children()
    {
        var outer = At(1, null);
        var loops = new[] { outer, At(2, outer.Id), At(4, outer.Id) };
        var index = LoopIndex.Of(loops);
        Assert.That(LoopIndex.From(index), Is.SameAs(index));
        var fromDictionary = LoopIndex.From(loops.ToDictionary(l => l.Id));
        Assert.That(fromDictionary.Children(outer.Id), Is.EqualTo(loops.Where(l => l.ParentId == outer.Id)));
    }
}
