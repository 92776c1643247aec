using ParaSlm.Analyzer.Affine;
using ParaSlm.Analyzer.Dependence;
using ParaSlm.Analyzer.Effects;
using ParaSlm.Analyzer.Scalars;
using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Loops;

/// <summary>
/// Walks one loop's body in evaluation order and records memory accesses, scalar uses (with whether
/// the variable was certainly assigned earlier in the iteration), reduction updates, and blockers.
/// Conservative by construction: whatever it cannot model becomes a blocker when it writes.
/// </summary>
internal sealed class LoopBodyWalker
{
    private enum Mode { Read, Write, ReadWrite }

    private const int MaxAliasDepth = 6;

    private readonly LoopInfo _loop;
    private readonly IReadOnlyDictionary<SyntaxNode, LoopInfo> _loopsByNode;
    private readonly FunctionEffects _effects;
    private readonly AffineConverter _affine;
    private readonly LoopBody _body = new();
    private readonly List<LoopInfo> _innerStack = [];
    private readonly HashSet<string> _assignedInBody = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (MemoryBase Base, IReadOnlyList<PathStep> Prefix, Symbol Counter, bool ByReference)> _rangeElements = new(StringComparer.Ordinal);
    private readonly HashSet<SyntaxNode> _inlinedLambdas = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<SyntaxNode> _lambdaReturns = new(ReferenceEqualityComparer.Instance);
    private HashSet<string> _assigned = new(StringComparer.Ordinal);
    private readonly List<AccessorFrame> _frames = [];
    private readonly Dictionary<string, bool> _restrictHolds = new(StringComparer.Ordinal);
    private const int MaxInlineDepth = 3;

    /// <summary>
    /// An accessor (`T& at(int k) { return m_x[k]; }`) read in place of its call: its parameters and `this`
    /// stand for the caller's arguments and object, evaluated where the call is.
    /// </summary>
    private sealed record AccessorFrame(
        SyntaxNode Call,
        string Callee,
        Dictionary<string, LinearExpr?> Values,
        Dictionary<string, (MemoryBase Base, IReadOnlyList<PathStep> Path)?> References,
        Dictionary<string, (MemoryBase Base, LinearExpr? Offset)?> Pointers,
        HashSet<string> Parameters,
        bool ThisKnown,
        (MemoryBase Base, IReadOnlyList<PathStep> Prefix)? This);

    private AccessorFrame? Frame => _frames.Count > 0 ? _frames[^1] : null;

    /// <summary>The call in the loop's text that the current accessor frames were entered from (null outside them).</summary>
    private SyntaxNode? Site => _frames.Count > 0 ? _frames[0].Call : null;
    private int _breakable;
    private int _loopish;
    private int _inLambda;

    public LoopBodyWalker(LoopInfo loop, IReadOnlyDictionary<SyntaxNode, LoopInfo> loopsByNode, FunctionEffects effects)
    {
        _loop = loop;
        _loopsByNode = loopsByNode;
        _effects = effects;
        foreach (var n in loop.Node.DescendantsAndSelf())
            if (n.Kind is NodeKind.VarDecl or NodeKind.ParmDecl && n.Decl is { } d && !d.IsGlobalStorage) _body.Locals.Add(d.Key);
        if (loop.Header?.Variable is { } iv) _body.Locals.Remove(iv.Key);
        // Locals defined once inside the loop are substituted into subscripts (`int idx = i*n + j;`).
        _affine = new AffineConverter(loop.Function, d => _body.Locals.Contains(d.Key)) { Binder = Bind };
        // Scalars the body assigns: in a subscript they are not the value they had before the loop.
        foreach (var n in loop.Node.DescendantsAndSelf())
        {
            var target = n.Kind switch
            {
                NodeKind.Binary when n.BinaryOp == BinaryOp.Assign && n.Children.Count == 2 => n.Children[0],
                NodeKind.CompoundAssign when n.Children.Count == 2 => n.Children[0],
                NodeKind.Unary when n.UnaryOp.IsIncDec() && n.Children.Count == 1 => n.Children[0],
                _ => null,
            };
            if (target?.StripParensAndCasts() is { Kind: NodeKind.DeclRef, Decl: { } w }) _assignedInBody.Add(w.Key);
        }
        if (loop.Header?.Variable is { } own) _assignedInBody.Remove(own.Key);
    }

    /// <summary>The caller's value of an accessor's parameter or implicit member inside a subscript.</summary>
    private (bool Bound, LinearExpr? Value) Bind(SyntaxNode n)
    {
        // The second counter of this loop or of an inner loop being walked: a function of that loop's counter (SecondCounter).
        if (Frame is null && n.Kind == NodeKind.DeclRef && n.Decl is { } c && SecondCounterValue(c) is { } second) return (true, second);
        // `vel[j]` after `for (j = 0; j < np; j++)`: j holds np there, not its value before the loop (which a runtime
        // check would read). Only an inner loop's counter inside that loop, or a local defined once, is affine.
        if (Frame is null && n.Kind == NodeKind.DeclRef && n.Decl is { } w && _assignedInBody.Contains(w.Key) &&
            !_innerStack.Any(l => l.Header?.Variable?.Key == w.Key))
            return (true, null);
        if (Frame is not { } f) return (false, null);
        if (n.Kind == NodeKind.DeclRef && n.Decl is { } d && f.Parameters.Contains(d.Key))
            return (true, f.Values.GetValueOrDefault(d.Key));
        if (n.Kind == NodeKind.MemberRef && (n.Children.Count == 0 || n.Children[0].StripParensAndCasts().Kind == NodeKind.This) && f.ThisKnown)
        {
            if (f.This is not { } t) return (true, null);
            return (true, MemberChainSymbol(t.Base, t.Prefix, n) is { } chained ? LinearExpr.Of(chained) : null);
        }
        return (false, null);
    }

    /// <summary>Inside a loop's body (this loop, or an inner one while its body is walked) its second counter's value.</summary>
    private LinearExpr? SecondCounterValue(DeclInfo d)
    {
        if (_loop.Header?.Second is { } own && own.Variable.Key == d.Key) return own.Value;
        for (var k = _innerStack.Count - 1; k >= 0; k--)
            if (_innerStack[k].Header?.Second is { } inner && inner.Variable.Key == d.Key) return inner.Value;
        return null;
    }

    public LoopBody Run()
    {
        if (_loop.IsRangeFor && _loop.Range is { } r && _loop.Header is { } h)
            RegisterRangeElement(r, h.Symbol);
        // The condition runs in every iteration too: memory it reads must not be written by another iteration.
        // (The increment only updates the counter; a step read from memory makes the header non-canonical.)
        if (_loop.Node.For?.Condition is { } condition) Walk(condition, Mode.Read);
        ThreadLocalUses();
        if (_loop.Body is { } body)
        {
            // Every object the body creates (locals, temporaries, in any expression) is destroyed in the iteration.
            foreach (var n in body.DescendantsAndSelf()) Destroyed(n);
            Statement(body);
        }
        _body.AssignedAtEnd.UnionWith(_assigned);
        return _body;
    }

    /// <summary>
    /// A thread-local variable (`__thread`, `_Thread_local`, `thread_local`, `#pragma omp threadprivate`) is one object
    /// per thread: in a parallel loop the team's other threads would read their own copies (zero, or a stale value), not
    /// the one this thread set, and their writes would never reach it. No clause can share it, so the loop stays serial.
    /// </summary>
    private void ThreadLocalUses()
    {
        foreach (var n in _loop.Node.DescendantsAndSelf())
            if (n.Kind == NodeKind.DeclRef && n.Decl is { IsThreadLocal: true } d)
            {
                Block($"uses the thread-local variable `{d.Name}`: each thread of a parallel loop would use its own copy, not this thread's value", n);
                return;
            }
    }

    // ---- statements -------------------------------------------------------------------------------

    private void Statement(SyntaxNode s)
    {
        if (TryReduction(s)) return;
        Walk(s, Mode.Read);
    }

    private void Walk(SyntaxNode n, Mode mode)
    {
        if (n.Type.IsAtomic && n.Kind != NodeKind.DeclRef) Block($"performs an atomic operation `{SourceText.Of(n)}`", n);
        if (FunctionEffects.UnresolvedOperatorOperand(n) is { } operand)
            Block($"`{SourceText.Of(n)}` applies an operator to `{SourceText.Of(operand)}`, an object of class type: in a template it is an overloaded operator " +
                  "(a stream's `<<`, an assignment) that the analyzer cannot resolve", n);
        if (DependentShiftOperators.SharedOperand(n, DeclaredInLoop) is { } shared)
            Block(DependentShiftOperators.Describe(n, shared), n);
        switch (n.Kind)
        {
            case NodeKind.Compound:
                foreach (var c in n.Children) Statement(c);
                break;
            case NodeKind.DeclStmt:
                foreach (var c in n.Children) Walk(c, Mode.Read);
                break;
            case NodeKind.VarDecl:
                Declare(n);
                break;
            case NodeKind.If:
                If(n);
                break;
            case NodeKind.Switch:
                Branching(n, () =>
                {
                    _breakable++;
                    foreach (var c in n.Children) Statement(c);
                    _breakable--;
                });
                break;
            case NodeKind.While or NodeKind.Do:
                if (n.Kind == NodeKind.While && n.Children.Count > 0) Walk(n.Children[0], Mode.Read);
                Branching(n, () =>
                {
                    _breakable++; _loopish++;
                    foreach (var c in n.Children) Statement(c);
                    _breakable--; _loopish--;
                });
                break;
            case NodeKind.For:
                InnerFor(n);
                break;
            case NodeKind.RangeFor:
                InnerRangeFor(n);
                break;
            case NodeKind.Return:
                if (!_lambdaReturns.Contains(n)) Block("returns from inside the loop", n);
                WalkChildren(n, Mode.Read);
                break;
            case NodeKind.Goto:
                if (!GotoStaysInside(n)) Block("jumps out of the loop with `goto`", n);
                break;
            case NodeKind.IndirectGoto:
                Block("jumps with a computed `goto`", n);
                break;
            case NodeKind.Break:
                if (_breakable == 0) Block("`break` leaves the loop early", n);
                break;
            case NodeKind.Continue:
                if (_loopish == 0) _body.HasContinue = true;
                break;
            case NodeKind.Throw:
                Block("may throw an exception out of the loop", n);
                WalkChildren(n, Mode.Read);
                break;
            case NodeKind.Asm:
                Block("contains inline assembly", n);
                break;
            case NodeKind.OpenMPDirective:
                Block("already contains an OpenMP directive", n);
                break;
            case NodeKind.New or NodeKind.Delete:
                Block("allocates or frees memory inside the loop", n);
                WalkChildren(n, Mode.Read);
                break;
            case NodeKind.Try or NodeKind.Catch:
                Branching(n, () => { foreach (var c in n.Children) Statement(c); });
                break;
            case NodeKind.Binary:
                Binary(n);
                break;
            case NodeKind.CompoundAssign when n.Children.Count == 2:
                Walk(n.Children[1], Mode.Read);
                Lvalue(n.Children[0], Mode.ReadWrite);
                break;
            case NodeKind.Unary:
                Unary(n, mode);
                break;
            case NodeKind.Conditional when n.Children.Count == 3:
                Walk(n.Children[0], Mode.Read);
                var before = Copy();
                Walk(n.Children[1], mode);
                var afterThen = _assigned;
                _assigned = before;
                Walk(n.Children[2], mode);
                _assigned.IntersectWith(afterThen);
                break;
            case NodeKind.Subscript or NodeKind.MemberRef or NodeKind.DeclRef:
                Lvalue(n, mode);
                break;
            case NodeKind.Call:
                Call(n, mode);
                break;
            case NodeKind.Lambda:
                // A lambda created in the loop runs (at most) here: its effects count as the loop's.
                Branching(n, () => InlineLambda(n));
                break;
            case NodeKind.Paren or NodeKind.Cast:
                WalkChildren(n, mode);
                break;
            case NodeKind.Unexposed:
                WalkChildren(n, n.Children.Count == 1 ? mode : Mode.Read);
                break;
            case NodeKind.Label:
                foreach (var c in n.Children) Statement(c);
                break;
            default:
                WalkChildren(n, Mode.Read);
                break;
        }
    }

    /// <summary>An object created here is destroyed in the same iteration: its destructors run as calls.</summary>
    private void Destroyed(SyntaxNode n)
    {
        if (FunctionEffects.CreatesObject(n) is not { } t) return;
        var effect = _effects.Destructors.OfDestroying(t);
        if (!effect.IsPure) Block(effect.Reason, n);
    }

    private void WalkChildren(SyntaxNode n, Mode mode)
    {
        foreach (var c in n.Children) Walk(c, mode);
    }

    private void Declare(SyntaxNode varDecl)
    {
        var init = FunctionScope.InitializerOf(varDecl);
        if (varDecl.Decl is { } d && d.IsGlobalStorage)
        {
            // A static local is shared by all iterations (and all calls): treat as global state.
            if (init is not null) Walk(init, Mode.Read);
            return;
        }
        foreach (var c in varDecl.Children)
            if (c.RawKind is >= 100 and < 200) Walk(c, Mode.Read);
        if (varDecl.Decl is { } local) _assigned.Add(local.Key);
    }

    private void If(SyntaxNode n)
    {
        var kids = n.Children;
        if (kids.Count is < 2 or > 3)
        {
            Branching(n, () => { foreach (var c in kids) Statement(c); });
            return;
        }
        Walk(kids[0], Mode.Read);
        var before = Copy();
        Statement(kids[1]);
        var afterThen = _assigned;
        _assigned = before;
        if (kids.Count == 3) Statement(kids[2]);
        _assigned.IntersectWith(afterThen);
    }

    /// <summary>Runs <paramref name="walk"/> on a path that may not execute: its assignments are not certain afterwards.</summary>
    private void Branching(SyntaxNode n, Action walk)
    {
        var before = Copy();
        walk();
        _assigned = before;
    }

    private HashSet<string> Copy() => new(_assigned, StringComparer.Ordinal);

    private void InnerFor(SyntaxNode n)
    {
        _loopsByNode.TryGetValue(n, out var inner);
        var parts = n.For;
        if (parts is null || inner is null)
        {
            Branching(n, () => { _breakable++; _loopish++; foreach (var c in n.Children) Walk(c, Mode.Read); _breakable--; _loopish--; });
            return;
        }
        if (inner.Header?.Variable is { } iv) _body.InnerCounters[iv.Key] = inner;
        if (parts.Init is not null) Statement(parts.Init);
        if (parts.Condition is not null) Walk(parts.Condition, Mode.Read);
        Branching(n, () =>
        {
            _innerStack.Add(inner);
            _breakable++; _loopish++;
            if (parts.Body is not null) Statement(parts.Body);
            _breakable--; _loopish--;
            if (parts.Increment is not null) Walk(parts.Increment, Mode.Read);
            _innerStack.RemoveAt(_innerStack.Count - 1);
        });
    }

    private void InnerRangeFor(SyntaxNode n)
    {
        _loopsByNode.TryGetValue(n, out var inner);
        var body = n.Children.Count > 0 ? n.Children[^1] : null;
        if (inner?.Range is { } r && inner.Header is { } h) RegisterRangeElement(r, h.Symbol);
        else if (n.Children.Count >= 2) Walk(n.Children[^2], Mode.Read);
        Branching(n, () =>
        {
            if (inner is not null) _innerStack.Add(inner);
            _breakable++; _loopish++;
            if (body is not null) Statement(body);
            _breakable--; _loopish--;
            if (inner is not null) _innerStack.RemoveAt(_innerStack.Count - 1);
        });
    }

    private void RegisterRangeElement(RangeForInfo r, Symbol counter)
    {
        var loc = Location(r.RangeExpression, 0);
        if (loc is null) return;
        if (loc.Value.Base.Root is { } root && _body.Locals.Contains(root.Key) && loc.Value.Base.Kind != BaseKind.Pointer) return;
        _rangeElements[r.Element.Key] = (loc.Value.Base, loc.Value.Path, counter, r.ElementIsReference);
    }

    private bool GotoStaysInside(SyntaxNode gotoNode)
    {
        var label = gotoNode.Children.FirstOrDefault()?.Spelling;
        return label is not null && _loop.Node.DescendantsAndSelf().Any(x => x.Kind == NodeKind.Label && x.Spelling == label);
    }

    // Inside an accessor the node lies in the accessor's file: the report points at the call in the loop instead.
    private void Block(string reason, SyntaxNode n) => _body.Blockers.Add(new Blocker(reason, Site ?? n));

    // ---- expressions ------------------------------------------------------------------------------

    private void Binary(SyntaxNode n)
    {
        if (n.Children.Count != 2) { WalkChildren(n, Mode.Read); return; }
        switch (n.BinaryOp)
        {
            case BinaryOp.Assign:
                Walk(n.Children[1], Mode.Read);
                Lvalue(n.Children[0], Mode.Write);
                break;
            case BinaryOp.LAnd or BinaryOp.LOr:
                Walk(n.Children[0], Mode.Read);
                Branching(n, () => Walk(n.Children[1], Mode.Read));
                break;
            default:
                WalkChildren(n, Mode.Read);
                break;
        }
    }

    private void Unary(SyntaxNode n, Mode mode)
    {
        if (n.Children.Count != 1) { WalkChildren(n, Mode.Read); return; }
        if (n.UnaryOp.IsIncDec()) Lvalue(n.Children[0], Mode.ReadWrite);
        else if (n.UnaryOp == UnaryOp.AddrOf) AddressParts(n.Children[0]);
        else if (n.UnaryOp == UnaryOp.Deref) Lvalue(n, mode);
        else Walk(n.Children[0], Mode.Read);
    }

    private void Lvalue(SyntaxNode expr, Mode mode)
    {
        var e = expr.StripParensAndCasts();
        switch (e.Kind)
        {
            case NodeKind.DeclRef:
                Variable(e, mode);
                return;
            case NodeKind.Subscript or NodeKind.MemberRef:
            case NodeKind.Unary when e.UnaryOp == UnaryOp.Deref:
                Memory(e, mode);
                return;
            case NodeKind.Call:
                Call(e, mode);
                return;
            default:
                Walk(e, Mode.Read);
                if (mode != Mode.Read) Block($"writes through `{SourceText.Of(e)}`, which the analyzer cannot follow", e);
                return;
        }
    }

    private void Variable(SyntaxNode e, Mode mode)
    {
        var d = e.Decl;
        if (d is null || d.Kind is DeclKind.Function or DeclKind.Method or DeclKind.EnumConstant or DeclKind.Other) return;
        if (Frame is { } frame && frame.Parameters.Contains(d.Key))
        {
            // An accessor's parameter: by value it was evaluated at the call; by reference it is the caller's object.
            if (!frame.References.TryGetValue(d.Key, out var target)) return;
            if (target is { } t) AddAccess(t.Base, t.Path, mode, e);
            else if (mode != Mode.Read) Block($"`{frame.Callee}` writes through its reference parameter `{d.Name}`, which the analyzer cannot follow", e);
            else AddAccess(new MemoryBase("unknown:" + SourceText.Of(e), SourceText.Of(e), BaseKind.LoadedPointer, null), [new IndexStep(null)], mode, e);
            return;
        }
        if (_rangeElements.TryGetValue(d.Key, out var re))
        {
            // The element of a range-for is container[k]: by reference it is the element itself, by value a copy of it.
            if (mode != Mode.Read && !re.ByReference) return;
            AddAccess(re.Base, [.. re.Prefix, new IndexStep(LinearExpr.Of(re.Counter))], mode, e);
            return;
        }
        if (_body.Locals.Contains(d.Key))
        {
            if (d.Type.IsReference && LocalAlias(d) is { } target)
            {
                Lvalue(target, mode);
                return;
            }
            if (d.Type.IsReference && mode != Mode.Read) Block($"writes through the reference `{d.Name}`, whose target is unknown", e);
            if (mode != Mode.Read) _body.Written.Add(d.Key);
            if (mode == Mode.Write) _assigned.Add(d.Key);
            return;
        }
        if (_loop.Header?.Variable?.Key == d.Key)
        {
            if (mode != Mode.Read) Block($"assigns the loop variable `{d.Name}` inside the body", e);
            return;
        }
        if (d.Type.IsAnyVolatile) Block($"accesses the volatile variable `{d.Name}`", e);
        if (d.Type.IsAnyAtomic) Block($"accesses the atomic variable `{d.Name}`", e);
        if (d.Type.IsArray || d.Type.IsStdIndexedContainer || d.Type.Shape == TypeShape.Record)
        {
            if (mode != Mode.Read) Block($"assigns the whole object `{d.Name}`", e);
            return;
        }
        if (d.Type.IsReference && d.Kind == DeclKind.Variable && !d.IsGlobalStorage && LocalAlias(d) is { } referenced)
        {
            Lvalue(referenced, mode);
            return;
        }
        // Inside an accessor read in place, the callee still reads the shared variable at run time, never a private copy.
        Event(d, mode == Mode.Read ? ScalarEventKind.Read : mode == Mode.Write ? ScalarEventKind.Write : ScalarEventKind.ReadWrite, e, null, byCallee: _frames.Count > 0);
    }

    /// <summary>`T& r = a[i];` declared in the loop: uses of r are uses of a[i].</summary>
    private SyntaxNode? LocalAlias(DeclInfo d)
    {
        var init = _loop.Function.SingleDefinition(d.Key) ??
                   (_loop.Function.DeclarationOf(d.Key) is { } decl && !_loop.Function.IsAddressTaken(d.Key) ? FunctionScope.InitializerOf(decl) : null);
        if (init is null) return null;
        var s = init.StripParensAndCasts();
        return s.Kind is NodeKind.Subscript or NodeKind.MemberRef or NodeKind.Call or NodeKind.DeclRef ||
               (s.Kind == NodeKind.Unary && s.UnaryOp == UnaryOp.Deref) ? s : null;
    }

    private void Event(DeclInfo d, ScalarEventKind kind, SyntaxNode node, string? reductionOp, bool byCallee = false)
    {
        // A lambda writes the variable it captured, not the copy a data-sharing clause would make.
        if (_inLambda > 0 && kind != ScalarEventKind.Read)
            Block($"a lambda called in the loop writes the captured variable `{d.Name}`", node);
        _body.Events.Add(new ScalarEvent(d, kind, _assigned.Contains(d.Key), node, reductionOp, _innerStack.Count) { ByCallee = byCallee });
        if (kind != ScalarEventKind.Read) _body.Written.Add(d.Key);
        if (kind == ScalarEventKind.Write) _assigned.Add(d.Key);
    }

    private void Memory(SyntaxNode e, Mode mode)
    {
        AddressParts(e);
        var loc = Location(e, 0);
        if (loc is null)
        {
            if (mode != Mode.Read) Block($"writes to `{SourceText.Of(e)}`, memory the analyzer cannot track", e);
            else AddAccess(new MemoryBase("unknown:" + SourceText.Of(e), SourceText.Of(e), BaseKind.LoadedPointer, null), [new IndexStep(null)], mode, e);
            return;
        }
        var (b, path) = loc.Value;
        // Arrays and objects declared inside the loop are fresh in every iteration.
        if (b.Kind is BaseKind.NamedArray or BaseKind.Object or BaseKind.Container && b.Root is { } root && _body.Locals.Contains(root.Key)) return;
        if (b.Kind == BaseKind.Pointer && b.Root is { } p && _body.Locals.Contains(p.Key))
        {
            if (mode != Mode.Read) Block($"writes through `{p.Name}`, a pointer set inside the loop", e);
            return;
        }
        AddAccess(b, path, mode, e);
    }

    private void AddAccess(MemoryBase b, IReadOnlyList<PathStep> path, Mode mode, SyntaxNode node)
    {
        if (b.Root is { } r && (r.Type.IsAnyVolatile || r.Type.IsAnyAtomic))
            Block($"accesses volatile or atomic memory `{SourceText.Of(node)}`", node);
        if (node.Type.IsAnyVolatile || node.Type.IsAnyAtomic) Block($"accesses volatile or atomic memory `{SourceText.Of(node)}`", node);
        _body.Accesses.Add(new MemoryAccess(b, path, mode != Mode.Write, mode != Mode.Read, node, _innerStack.ToList()) { Site = Site });
    }

    /// <summary>A variable the iteration owns: declared inside the analyzed loop, so each iteration has its own.</summary>
    private bool DeclaredInLoop(DeclInfo d) =>
        _loop.Function.DeclarationOf(d.Key) is { } decl && _loop.Node.Span.Contains(decl.Span);

    /// <summary>Walks the index and pointer computations of an lvalue (they are reads) without touching the lvalue itself.</summary>
    private void AddressParts(SyntaxNode expr)
    {
        var e = expr.StripParensAndCasts();
        DependentOperator(e);
        switch (e.Kind)
        {
            case NodeKind.DeclRef when e.Decl is { } d && (d.Type.IsAnyAtomic || d.Type.IsAnyVolatile):
                Block($"takes the address of the {(d.Type.IsAnyAtomic ? "atomic" : "volatile")} variable `{d.Name}`", e);
                break;
            case NodeKind.Subscript when e.Children.Count == 2:
                PointerParts(e.Children[0]);
                Walk(e.Children[1], Mode.Read);
                break;
            case NodeKind.MemberRef when e.Children.Count > 0:
                if (e.IsArrow) PointerParts(e.Children[0]); else AddressParts(e.Children[0]);
                break;
            case NodeKind.Unary when e.UnaryOp == UnaryOp.Deref && e.Children.Count == 1:
                PointerParts(e.Children[0]);
                break;
            case NodeKind.Call when e.Decl is { } c && KnownFunctions.IsElementAccess(c.Name):
                var (obj, args) = CallParts(e);
                if (obj is not null) AddressParts(obj);
                foreach (var a in args) Walk(a, Mode.Read);
                break;
        }
    }

    /// <summary>
    /// In a template, `a[i]`, `*it` and `it->x` on an object whose type depends on a template parameter name no
    /// body: each may call a user `operator[]`/`operator*`/`operator->` that changes the object or what it points
    /// to (a cache, a counter). The analyzer cannot see that body, so the operation is an unknown call.
    /// </summary>
    private void DependentOperator(SyntaxNode e)
    {
        if (e.Children.Count == 0) return;
        var (operand, op) = e.Kind switch
        {
            NodeKind.Subscript when e.Children.Count == 2 => (e.Children[0].StripParensAndCasts(), "operator[]"),
            NodeKind.Unary when e.UnaryOp == UnaryOp.Deref => (e.Children[0].StripParensAndCasts(), "operator*"),
            NodeKind.MemberRef when e.IsArrow => (e.Children[0].StripParensAndCasts(), "operator->"),
            _ => (null, ""),
        };
        if (operand is null || !operand.Type.IsTemplateDependentObject) return;
        Block($"`{SourceText.Of(e)}` applies `{op}` to `{SourceText.Of(operand)}`, whose type depends on a template parameter: " +
              "the operator the template is instantiated with may change the object (a cache, a counter) and the analyzer cannot see its body", e);
    }

    private void PointerParts(SyntaxNode expr)
    {
        var e = expr.StripParensAndCasts();
        switch (e.Kind)
        {
            case NodeKind.DeclRef when e.Decl is { } d && (d.Type.IsArray || d.Type.IsStdIndexedContainer):
                return;
            case NodeKind.DeclRef:
                Variable(e, Mode.Read);
                return;
            case NodeKind.Binary when e.BinaryOp is BinaryOp.Add or BinaryOp.Sub && e.Children.Count == 2:
                PointerParts(e.Children[0]);
                PointerParts(e.Children[1]);
                return;
            case NodeKind.Unary when e.UnaryOp == UnaryOp.AddrOf && e.Children.Count == 1:
                AddressParts(e.Children[0]);
                return;
            case NodeKind.Subscript or NodeKind.MemberRef when e.Type.IsArray || e.Type.IsStdIndexedContainer:
                AddressParts(e); // a sub-array (`a[i]` of `a[N][M]`) is an address, not a load
                return;
            case NodeKind.Unary when e.UnaryOp == UnaryOp.Deref && e.Type.IsArray:
                AddressParts(e); // `*B` of `double (*B)[N][N]` names the array B points to: it decays to an address, nothing is loaded
                return;
            case NodeKind.Subscript or NodeKind.MemberRef:
            case NodeKind.Unary when e.UnaryOp == UnaryOp.Deref:
                Memory(e, Mode.Read); // loading a pointer is a read of memory
                return;
            default:
                Walk(e, Mode.Read);
                return;
        }
    }

    // ---- locations --------------------------------------------------------------------------------

    private (MemoryBase Base, IReadOnlyList<PathStep> Path)? Location(SyntaxNode expr, int depth)
    {
        if (depth > MaxAliasDepth) return null;
        var e = expr.StripParensAndCasts();
        if (Frame is { } frame && FrameLocation(frame, e) is { } framed) return framed.Found ? framed.Location : null;
        switch (e.Kind)
        {
            case NodeKind.DeclRef when e.Decl is { } d:
                if (_rangeElements.TryGetValue(d.Key, out var re)) return (re.Base, [.. re.Prefix, new IndexStep(LinearExpr.Of(re.Counter))]);
                if (d.Type.IsReference && d.Kind == DeclKind.Variable && !d.IsGlobalStorage)
                    return LocalAlias(d) is { } alias ? Location(alias, depth + 1) : null; // `T& r = x;` is x
                if (d.Type.IsPointer) return null;
                return (BaseOf(d), []);
            case NodeKind.Subscript when e.Children.Count == 2:
            {
                var b = e.Children[0].StripParensAndCasts();
                var idx = Subscript(e.Children[1]);
                if (b.Type.IsArray || b.Type.IsStdIndexedContainer) // `v[i]` on a dependent vector stays a subscript in templates
                {
                    var inner = Location(b, depth + 1);
                    if (inner is null) return null;
                    // Inside an object (after a first step) an array dimension's index must be proven in range.
                    var extent = b.Type.IsArray ? (b.Type.ArrayLength > 0 ? b.Type.ArrayLength : -1) : 0;
                    return (inner.Value.Base, [.. inner.Value.Path, new IndexStep(idx, extent)]);
                }
                var pv = PointerValue(b, depth + 1);
                if (pv is null) return null;
                return (pv.Value.Base, [new IndexStep(Sum(pv.Value.Offset, idx))]);
            }
            case NodeKind.Unary when e.UnaryOp == UnaryOp.Deref && e.Children.Count == 1:
            {
                var pv = PointerValue(e.Children[0], depth + 1);
                return pv is null ? null : (pv.Value.Base, [new IndexStep(pv.Value.Offset)]);
            }
            case NodeKind.MemberRef when e.Children.Count == 0:
                return (ThisBase, [new IndexStep(LinearExpr.Zero), Field(e)]); // implicit this->field
            case NodeKind.MemberRef:
            {
                if (e.IsArrow)
                {
                    var pv = PointerValue(e.Children[0], depth + 1);
                    return pv is null ? null : (pv.Value.Base, [new IndexStep(pv.Value.Offset), Field(e)]);
                }
                var inner = Location(e.Children[0], depth + 1);
                return inner is null ? null : (inner.Value.Base, [.. inner.Value.Path, Field(e)]);
            }
            case NodeKind.Call when e.Decl is { } c && KnownFunctions.IsElementAccess(c.Name):
            {
                var (obj, args) = CallParts(e);
                if (obj is null || args.Count != 1 || !obj.StripParensAndCasts().Type.IsStdIndexedContainer) return null;
                var inner = Location(obj, depth + 1);
                return inner is null ? null : (inner.Value.Base, [.. inner.Value.Path, new IndexStep(Subscript(args[0]))]);
            }
            default:
                return null;
        }
    }

    /// <summary>Locations that mean something else inside an accessor: its parameters, `this` and its members.</summary>
    private (bool Found, (MemoryBase Base, IReadOnlyList<PathStep> Path)? Location)? FrameLocation(AccessorFrame frame, SyntaxNode e)
    {
        switch (e.Kind)
        {
            case NodeKind.DeclRef when e.Decl is { } d && frame.Parameters.Contains(d.Key):
                return (true, frame.References.GetValueOrDefault(d.Key));
            case NodeKind.MemberRef when frame.ThisKnown && (e.Children.Count == 0 || (e.IsArrow && e.Children[0].StripParensAndCasts().Kind == NodeKind.This)):
                return (true, frame.This is { } t ? (t.Base, [.. t.Prefix, Field(e)]) : null);
            case NodeKind.Unary when frame.ThisKnown && e.UnaryOp == UnaryOp.Deref && e.Children.Count == 1 && e.Children[0].StripParensAndCasts().Kind == NodeKind.This:
                return (true, frame.This is { } self ? (self.Base, self.Prefix) : null);
            default:
                return null;
        }
    }

    /// <summary>The object a member function runs on: it may be the same object as any reference the function gets.</summary>
    private static readonly MemoryBase ThisBase = new("this", "this", BaseKind.Object, null) { IsReference = true };

    private (MemoryBase Base, LinearExpr? Offset)? PointerValue(SyntaxNode expr, int depth)
    {
        if (depth > MaxAliasDepth) return null;
        var e = expr.StripParensAndCasts();
        if (Frame is { } frame)
        {
            if (e.Kind == NodeKind.DeclRef && e.Decl is { } p && frame.Parameters.Contains(p.Key)) return frame.Pointers.GetValueOrDefault(p.Key);
            if (e.Kind == NodeKind.This && frame.ThisKnown)
                return frame.This is { Prefix: [IndexStep ix] } t ? (t.Base, ix.Subscript) : null;
        }
        switch (e.Kind)
        {
            case NodeKind.This:
                return (ThisBase, LinearExpr.Zero);
            case NodeKind.DeclRef when e.Decl is { } d && d.Type.IsArray:
                return (BaseOf(d), LinearExpr.Zero);
            case NodeKind.DeclRef when e.Decl is { } d && d.Type.IsPointer:
            {
                var def = _loop.Function.SingleDefinition(d.Key);
                if (def is not null && !IsAllocation(def) && def.StripParensAndCasts().Kind != NodeKind.NullPtrLiteral)
                {
                    var resolved = PointerValue(def, depth + 1);
                    if (resolved is not null) return resolved;
                }
                // A pointer reassigned inside the loop has no fixed target here.
                if (_body.Written.Contains(d.Key) || (_loop.Function.IsWritten(d.Key) && WrittenInside(d))) return null;
                var fresh = def is not null ? IsAllocation(def) && !Escapes(d) : FreshUntilAfterLoop(d);
                return (BaseOf(d) with { IsFreshAllocation = fresh }, LinearExpr.Zero);
            }
            case NodeKind.Binary when e.Children.Count == 2 && e.BinaryOp is BinaryOp.Add or BinaryOp.Sub:
            {
                var l = e.Children[0].StripParensAndCasts();
                var r = e.Children[1].StripParensAndCasts();
                if (l.Type.IsPointer || l.Type.IsArray)
                {
                    // `(char *)p + 4` counts bytes, not `p`'s elements: an offset in other units than the base's is no offset of it.
                    if (!TypeInfo.SameElement(e.Children[0].Type, l.Type)) return null;
                    var pv = PointerValue(l, depth + 1);
                    var off = Subscript(r);
                    if (pv is null) return null;
                    return (pv.Value.Base, e.BinaryOp == BinaryOp.Add ? Sum(pv.Value.Offset, off) : Sum(pv.Value.Offset, off?.Negate()));
                }
                if (e.BinaryOp == BinaryOp.Add && (r.Type.IsPointer || r.Type.IsArray))
                {
                    if (!TypeInfo.SameElement(e.Children[1].Type, r.Type)) return null;
                    var pv = PointerValue(r, depth + 1);
                    return pv is null ? null : (pv.Value.Base, Sum(pv.Value.Offset, Subscript(l)));
                }
                return null;
            }
            case NodeKind.Unary when e.UnaryOp == UnaryOp.AddrOf && e.Children.Count == 1:
            {
                var loc = Location(e.Children[0], depth + 1);
                if (loc is null) return null;
                var steps = loc.Value.Path;
                if (steps.Count == 0) return (loc.Value.Base, LinearExpr.Zero);
                if (steps.Count == 1 && steps[0] is IndexStep ix) return (loc.Value.Base, ix.Subscript);
                return null;
            }
            case NodeKind.Call when e.Spelling == "data" && e.Children.Count > 0 &&
                                    e.Children[0].StripParensAndCasts() is { Kind: NodeKind.MemberRef } m && m.Children.Count > 0 &&
                                    m.Children[0].StripParensAndCasts() is { Kind: NodeKind.DeclRef, Decl: { } v } && v.Type.IsStdIndexedContainer:
                return (BaseOf(v), LinearExpr.Zero);
            case NodeKind.Subscript or NodeKind.MemberRef:
            case NodeKind.Unary when e.UnaryOp == UnaryOp.Deref:
            {
                // A pointer loaded from memory (`m[i]` of a `T**`): different loads may point to the same row.
                var loc = Location(e, depth + 1);
                var text = SourceText.Of(e);
                var subs = loc?.Path.OfType<IndexStep>().Select(s => s.Subscript).ToList() ?? [null];
                var key = loc is null ? "load:" + text : "load:" + loc.Value.Base.Key + ":" + string.Join(",", loc.Value.Path.Select(StepKey));
                return (new MemoryBase(key, text, BaseKind.LoadedPointer, loc?.Base.Root) { LoadSubscripts = subs, LoadText = MemberPathText(loc), LoadVia = MemberPathVia(loc), LoadType = e.Type, LoadMember = e.Kind == NodeKind.MemberRef ? e.Decl : null }, LinearExpr.Zero);
            }
            default:
                return null;
        }
    }

    private static FieldStep Field(SyntaxNode member) => new(member.Spelling, member.Decl?.InUnion ?? false) { Member = member.Decl };

    /// <summary>
    /// The caller's symbol for a member `n` an inlined accessor reads through `this`, when `this` is a member chain of a
    /// named object (`d.n`, `field.density0.sizeY`), of what a named pointer points to (`p->n`, `p->grid.n`) or of the
    /// caller's own `this` (`this->n`, `this->grid.n`): keyed as the caller's own `d.n` or `field.density0.sizeY` would be,
    /// depending on the root and on every member on the way (a store to `field.density0` or an assignment to `field`
    /// changes it). Null for any other object (an element of an array, a temporary, a loaded pointer).
    /// </summary>
    private static Symbol? MemberChainSymbol(MemoryBase b, IReadOnlyList<PathStep> prefix, SyntaxNode n)
    {
        var field = n.Spelling;
        string rootKey, rootText, sep;
        IEnumerable<PathStep> rest;
        if (b.Key == "this" && prefix.Count > 0 && prefix[0] is IndexStep { Subscript.IsZero: true })
            (rootKey, rootText, sep, rest) = ("this", "this", "->", prefix.Skip(1));
        else if (b.Root is { } root && b.Kind == BaseKind.Pointer && prefix.Count > 0 && prefix[0] is IndexStep { Subscript.IsZero: true })
            (rootKey, rootText, sep, rest) = (root.Key, root.Name, "->", prefix.Skip(1));
        else if (b.Root is { } named && b.Kind != BaseKind.Pointer && b.Kind != BaseKind.LoadedPointer && b.Key != "this")
            (rootKey, rootText, sep, rest) = (named.Key, named.Name, ".", prefix);
        else return null;
        var members = rest.ToList();
        if (members.Any(s => s is not FieldStep)) return null;
        var fields = members.Cast<FieldStep>().ToList();
        var deps = new List<string> { rootKey };
        var key = rootKey;
        var text = rootText == "this" && fields.Count == 0 ? string.Empty : rootText;
        foreach (var f in fields)
        {
            key += (key == rootKey ? sep : ".") + f.Field;
            text += (text.Length == 0 ? string.Empty : text == rootText ? sep : ".") + f.Field;
            deps.Add(key);
        }
        key += (key == rootKey ? sep : ".") + field;
        text = text.Length == 0 ? field : text + (text == rootText ? sep : ".") + field;
        deps.Add(key);
        var via = fields.Select(f => f.Member).ToList();
        return new Symbol(key, text)
        {
            Type = n.Type, Member = n.Decl, NonNegative = n.Type.IsUnsignedIntegral, RootKey = rootKey, Dependencies = deps,
            Via = via.Any(v => v is null) ? null : via.Select(v => v!).ToList(),
        };
    }

    /// <summary>
    /// `pressure.data`, `p->data`, `this->data`, `field.density0.data`: a location that is a member, or a member of members,
    /// of a named object (or of what a named pointer or `this` points to), written as the loop's own code would name it; null
    /// for anything else (an element of an array on the way, a temporary).
    /// </summary>
    private static string? MemberPathText((MemoryBase Base, IReadOnlyList<PathStep> Path)? loc) => MemberPath(loc)?.Text;

    /// <summary>The members on the way to a <see cref="MemberPathText"/> location before its last (`density0` of
    /// `field.density0.data`), each of which the loop's site must be allowed to name; null where a declaration is unknown.</summary>
    private static IReadOnlyList<DeclInfo>? MemberPathVia((MemoryBase Base, IReadOnlyList<PathStep> Path)? loc) => MemberPath(loc)?.Via;

    private static (string Text, IReadOnlyList<DeclInfo>? Via)? MemberPath((MemoryBase Base, IReadOnlyList<PathStep> Path)? loc)
    {
        if (loc is not var (b, path) || path.Count == 0) return null;
        var steps = path.AsEnumerable();
        string text;
        if (b.Key == "this" || b.Kind == BaseKind.Pointer)
        {
            if (path.Count < 2 || path[0] is not IndexStep { Subscript.IsZero: true } || path[1] is not FieldStep member) return null;
            var owner = b.Key == "this" ? "this" : b.Root?.Name;
            if (owner is null) return null;
            text = owner + "->" + member.Field;
            steps = path.Skip(2);
        }
        else if (b.Kind == BaseKind.Object && b.Root is { } root && path[0] is FieldStep first)
        {
            text = root.Name + "." + first.Field;
            steps = path.Skip(1);
        }
        else return null;
        // A longer path is a chain of members only (`field.density0.data`): an element of an array on the way is not named.
        var rest = steps.ToList();
        if (rest.Any(s => s is not FieldStep)) return null;
        foreach (var f in rest.Cast<FieldStep>()) text += "." + f.Field;
        var members = path.OfType<FieldStep>().Select(f => f.Member).ToList();
        var via = members.Take(members.Count - 1).ToList();
        return (text, via.Any(v => v is null) ? null : via.Select(v => v!).ToList());
    }

    private static string StepKey(PathStep s) => s switch
    {
        IndexStep i => "[" + (i.Subscript?.ToString() ?? "?") + "]",
        FieldStep f => "." + f.Field,
        _ => "?",
    };

    private bool WrittenInside(DeclInfo d) =>
        _loop.Function.WritesOf(d.Key).Any(w => _loop.Node.Span.Contains(w.Span));

    /// <summary>The pointer's value is copied somewhere other than a local pointer defined once from it (an assignment, a
    /// global or reference initialized from it, a callee that may keep it or a local defined from what `memcpy(p, …)`
    /// returns): the copy is another name for the allocation (<see cref="PointerRetention"/>, the one walk that judges copies).</summary>
    private bool Escapes(DeclInfo pointer) => _effects.Retention.MayBeKept(pointer, _loop.Function);

    /// <summary>
    /// A local initialized from an allocation and written again (or handed by address to a callee, LULESH's
    /// `Release(&amp;p)`, which frees it and sets it to null) only after the loop: the loop still sees the allocation.
    /// Sound when no such write can reach the loop: each one starts after the loop ends, the function has no `goto`, and
    /// every loop enclosing both the write and this loop also encloses the declaration (whose initializer then runs
    /// again first). A callee given the address must keep neither it nor the pointer read through it
    /// (<see cref="PointerRetention"/>), and the pointer must not be copied (<see cref="Escapes"/>).
    /// </summary>
    private bool FreshUntilAfterLoop(DeclInfo d)
    {
        if (d.Kind != DeclKind.Variable || d.IsGlobalStorage || d.IsStatic || d.Type.IsReference) return false;
        var function = _loop.Function;
        if (function.DeclarationOf(d.Key) is not { } declaration || FunctionScope.InitializerOf(declaration) is not { } init || !IsAllocation(init)) return false;
        var loopSpan = _loop.Node.Span;
        if (declaration.Span.Offset >= loopSpan.Offset) return false;
        var sites = function.WritesOf(d.Key).Concat(function.Node.DescendantsAndSelf().Where(n =>
            n.Kind == NodeKind.Unary && n.UnaryOp == UnaryOp.AddrOf && n.Children.Count == 1 && FunctionScope.RootDecl(n.Children[0])?.Key == d.Key)).ToList();
        if (function.Node.DescendantsAndSelf().Any(n => n.Kind is NodeKind.Goto or NodeKind.IndirectGoto)) return false;
        var enclosing = _loop.Node.Ancestors().Where(a => a.Kind is NodeKind.For or NodeKind.While or NodeKind.Do or NodeKind.RangeFor).ToList();
        foreach (var site in sites)
        {
            if (site.Span.Offset < loopSpan.EndOffset) return false;
            if (enclosing.Any(l => l.Span.Contains(site.Span) && !l.Span.Contains(declaration.Span))) return false;
        }
        return !Escapes(d);
    }

    /// <summary>`malloc`, `new[]` and the like, or a call of a wrapper that returns one (<see cref="AllocatorWrappers"/>).</summary>
    private bool IsAllocation(SyntaxNode init) => _effects.Allocators.IsFreshAllocation(init);

    private static LinearExpr? Sum(LinearExpr? a, LinearExpr? b) => a is null || b is null ? null : a.Add(b);

    private LinearExpr? Subscript(SyntaxNode idx) => _affine.Convert(idx);

    private MemoryBase BaseOf(DeclInfo d)
    {
        var local = !d.IsGlobalStorage && d.Kind == DeclKind.Variable && !d.Type.IsReference;
        // An array-syntax parameter (`double a[]`, `double A[N][M]`) is a pointer: the caller may pass one array twice.
        if (d.Type.IsArray && d.Kind == DeclKind.Parameter)
            return new MemoryBase(d.Key, d.Name, BaseKind.Pointer, d) { IsRestrict = (d.Type.IsRestrict || IsRestrictArrayParameter(d)) && RestrictHolds(d) };
        if (d.Type.IsArray) return new MemoryBase(d.Key, d.Name, BaseKind.NamedArray, d) { IsLocalStorage = local };
        if (d.Type.IsPointer) return new MemoryBase(d.Key, d.Name, BaseKind.Pointer, d) { IsRestrict = d.Type.IsRestrict && RestrictHolds(d), IsLocalStorage = local };
        if (d.Type.IsStdIndexedContainer)
            return new MemoryBase(d.Key, d.Name, BaseKind.Container, d) { IsReference = d.Type.IsReference, IsLocalStorage = local || (d.Kind == DeclKind.Parameter && !d.Type.IsReference) };
        return new MemoryBase(d.Key, d.Name, BaseKind.Object, d) { IsLocalStorage = local || (d.Kind == DeclKind.Parameter && !d.Type.IsReference), IsReference = d.Type.IsReference };
    }

    /// <summary>The qualifier proves no overlap only where no copy of the pointer can be another base (see
    /// <see cref="RestrictGuarantee"/>); computed once per pointer and loop.</summary>
    private bool RestrictHolds(DeclInfo d)
    {
        if (!_restrictHolds.TryGetValue(d.Key, out var holds))
            _restrictHolds[d.Key] = holds = RestrictGuarantee.Holds(d, _loop.Function, _effects.Retention);
        return holds;
    }

    /// <summary>`double a[restrict]` / `double a[static restrict 8]`: the qualifier applies to the adjusted pointer
    /// (libclang's type spelling drops it, so the declaration's own text decides).</summary>
    private bool IsRestrictArrayParameter(DeclInfo d)
    {
        var decl = _loop.Function.Node.Children.FirstOrDefault(c => c.Kind == NodeKind.ParmDecl && c.Decl?.Key == d.Key);
        if (decl is null) return false;
        var text = SourceText.Of(decl);
        var open = text.IndexOf('[', StringComparison.Ordinal);
        if (open < 0) return false;
        var close = text.IndexOf(']', open);
        var first = close < 0 ? text[open..] : text[open..close];
        return first.Contains("restrict", StringComparison.Ordinal);
    }

    // ---- calls ------------------------------------------------------------------------------------

    /// <summary>Splits a call into the object it is invoked on (member and operator calls) and its arguments.</summary>
    internal static (SyntaxNode? Object, List<SyntaxNode> Args) CallParts(SyntaxNode call)
    {
        var kids = call.Children;
        var key = call.Decl?.Key;
        var calleeIndex = -1;
        for (var i = 0; i < kids.Count; i++)
        {
            var s = kids[i].StripParensAndCasts();
            if (s.Kind is NodeKind.DeclRef or NodeKind.MemberRef or NodeKind.OverloadedDeclRef && (key is null || s.Decl?.Key == key))
            {
                calleeIndex = i;
                break;
            }
        }
        if (calleeIndex < 0) return (null, kids.ToList());
        var callee = kids[calleeIndex].StripParensAndCasts();
        SyntaxNode? obj = null;
        if (callee.Kind == NodeKind.MemberRef && callee.Children.Count > 0) obj = callee.Children[0];
        var args = new List<SyntaxNode>();
        for (var i = 0; i < kids.Count; i++)
        {
            if (i == calleeIndex) continue;
            if (i < calleeIndex && obj is null) { obj = kids[i]; continue; } // operator call: the object comes first
            args.Add(kids[i]);
        }
        return (obj, args);
    }

    private void Call(SyntaxNode call, Mode mode)
    {
        var decl = call.Decl;
        var (obj, args) = CallParts(call);
        if (decl is null && call.Children.FirstOrDefault()?.StripParensAndCasts() is { Kind: NodeKind.MemberRef } member &&
            KnownFunctions.IsContainerRead(MemberName(member)) && member.Children.Count > 0 &&
            member.Children[0].StripParensAndCasts().Type.IsStdIndexedContainer)
        {
            // `v.size()` on a dependent std::vector in a template: bookkeeping, not an element.
            foreach (var a in call.Children.Skip(1)) Walk(a, Mode.Read);
            return;
        }
        if (decl is null)
        {
            // In templates: `T(4)` is a conversion; `std::max(a, b)` is an unresolved call to a known pure function.
            var callee = UnresolvedCallee(call);
            var conversion = call.Children.Any(c => c.Kind == NodeKind.TypeRef) && call.Children.All(c => c.Kind != NodeKind.OverloadedDeclRef);
            if (!conversion && (callee is null || !KnownFunctions.IsPure(callee, callee)))
                Block($"calls `{(call.Spelling.Length > 0 ? call.Spelling : SourceText.Of(call))}`, which the analyzer cannot resolve (a function pointer or a dependent call)", call);
            foreach (var a in call.Children) if (a.Kind is not (NodeKind.TypeRef or NodeKind.OverloadedDeclRef or NodeKind.TemplateRef or NodeKind.Other)) Walk(a, Mode.Read);
            return;
        }
        var name = decl.Name;
        if (KnownFunctions.IsElementAccess(name) && obj is not null && obj.StripParensAndCasts().Type.IsStdIndexedContainer)
        {
            Memory(call, mode);
            return;
        }
        if (KnownFunctions.IsContainerRead(name) && obj is not null && obj.StripParensAndCasts().Type.IsStdIndexedContainer)
        {
            foreach (var a in args) Walk(a, Mode.Read);
            return;
        }
        if (KnownFunctions.IsSwap(name, decl.QualifiedName) && args.Count == 2)
        {
            Lvalue(args[0], Mode.ReadWrite);
            Lvalue(args[1], Mode.ReadWrite);
            return;
        }
        if (KnownFunctions.IsExit(name, decl.QualifiedName))
        {
            Block($"calls `{name}`, which leaves the loop", call);
            return;
        }
        if (decl.Kind == DeclKind.Method && name == "operator()" && LambdaOf(obj) is { } lambda && _inlinedLambdas.Add(lambda))
        {
            foreach (var a in args) Walk(a, Mode.Read);
            Branching(call, () => InlineLambda(lambda));
            _inlinedLambdas.Remove(lambda);
            return;
        }
        if (TryInlineAccessor(call, decl, obj, args, mode)) return;
        if (mode != Mode.Read)
        {
            // The call returns a reference that is written: unless its body is seen through, the target is unknown.
            Block($"writes through the reference returned by `{name}`, which the analyzer cannot follow", call);
            if (obj is not null) Walk(obj, Mode.Read);
            foreach (var a in args) Walk(a, Mode.Read);
            return;
        }
        if (obj is not null && decl.Kind == DeclKind.Method && !_effects.IsAssumedPure(decl))
        {
            var objType = obj.StripParensAndCasts().Type;
            if (objType.Shape == TypeShape.Record && _effects.DefinitionOf(decl) is null && !KnownFunctions.IsPure(name, decl.QualifiedName))
            {
                // A range-based `for`'s implicit `*__begin` has no text of its own but the `:` (miniBUDE read "of `:`").
                var receiver = SourceText.Of(obj).Trim();
                var what = receiver.Length > 0 && receiver != ":" ? $"`{receiver}`" : $"the hidden iterator of the range-based `for` at line {obj.Span.Line}";
                Block($"calls the method `{name}` of {what}, which may change it", call);
                Walk(obj, Mode.Read);
                foreach (var a in args) Walk(a, Mode.Read);
                return;
            }
        }

        var effect = _effects.Of(decl);
        if (!effect.IsPure)
        {
            Block(effect.Reason, call);
            foreach (var a in args) Walk(a, Mode.Read);
            return;
        }
        if (obj is not null) Walk(obj, Mode.Read);
        if (decl.Kind == DeclKind.Method && !_effects.IsAssumedPure(decl) && _effects.DefinitionOf(decl) is not null) ObjectStateRead(call, obj);
        _body.Calls.Add(new Facts.CallFact(name, call.Span.Line, true, effect.Reason));
        foreach (var a in args)
        {
            Walk(a, Mode.Read);
            // A pure function may still read what a pointer argument points to (strlen too): record an unknown-extent read.
            var t = a.StripParensAndCasts().Type;
            if ((t.IsPointer || t.IsArray) && PointerValue(a, 0) is { } pv)
                _body.Accesses.Add(new MemoryAccess(pv.Base, [new IndexStep(null)], true, false, a, _innerStack.ToList()) { UnknownExtent = true, Site = Site });
        }
        foreach (var g in effect.GlobalsRead)
        {
            // Global arrays and what global pointers point to are read with unknown extent.
            if (g.Type.IsArray || g.Type.IsStdIndexedContainer || g.Type.IsPointer)
                _body.Accesses.Add(new MemoryAccess(BaseOf(g), [new IndexStep(null)], true, false, call, _innerStack.ToList()) { UnknownExtent = true, Site = Site });
            if (!g.Type.IsArray && !g.Type.IsStdIndexedContainer && !_body.Locals.Contains(g.Key))
                Event(g, ScalarEventKind.Read, call, null, byCallee: true);
        }
        if (effect.ReadsIndirectMemory)
        {
            // The callee follows pointers stored in memory: it may read any object the loop writes.
            var text = SourceText.Of(call);
            _body.Accesses.Add(new MemoryAccess(new MemoryBase("indirect:" + text, text, BaseKind.LoadedPointer, null), [new IndexStep(null)], true, false, call, _innerStack.ToList()) { UnknownExtent = true, Site = Site });
        }
    }

    /// <summary>
    /// A function whose body is one `return e;` (an accessor, `operator()`/`operator[]` of a user class, a getter)
    /// is read in place: `e` is walked with the parameters bound to the arguments and `this` to the object, so
    /// `d.elemBC(i*E + j) |= 1` is a write of `d.m_elemBC[i*E + j]`.
    /// </summary>
    private bool TryInlineAccessor(SyntaxNode call, DeclInfo decl, SyntaxNode? obj, List<SyntaxNode> args, Mode mode)
    {
        if (_frames.Count >= MaxInlineDepth || _frames.Any(f => f.Callee == decl.Key)) return false;
        if (_effects.DefinitionOf(decl) is not { } def || !_effects.Of(decl).IsPure) return false;
        var body = def.Children.LastOrDefault(c => c.Kind == NodeKind.Compound);
        if (body is null || body.Children.Count != 1 || body.Children[0].Kind != NodeKind.Return || body.Children[0].Children.Count != 1) return false;
        var parameters = def.Children.Where(c => c.Kind == NodeKind.ParmDecl && c.Decl is not null).Select(c => c.Decl!).ToList();
        if (parameters.Count != args.Count) return false;
        foreach (var a in args) Walk(a, Mode.Read);
        if (obj is not null) AddressParts(obj);

        var values = new Dictionary<string, LinearExpr?>(StringComparer.Ordinal);
        var references = new Dictionary<string, (MemoryBase Base, IReadOnlyList<PathStep> Path)?>(StringComparer.Ordinal);
        var pointers = new Dictionary<string, (MemoryBase Base, LinearExpr? Offset)?>(StringComparer.Ordinal);
        for (var k = 0; k < parameters.Count; k++)
        {
            var p = parameters[k];
            if (p.Type.IsReference) references[p.Key] = Location(args[k], 0);
            else if (p.Type.IsPointer || p.Type.IsArray) pointers[p.Key] = PointerValue(args[k], 0);
            else if (p.Type.IsIntegral) values[p.Key] = Subscript(args[k]);
        }
        // `this` inside the callee: the caller's object, or (a call on the implicit object) whatever `this` is here.
        var thisKnown = obj is not null || Frame is { ThisKnown: true };
        (MemoryBase, IReadOnlyList<PathStep>)? self = null;
        if (obj is not null)
        {
            var o = obj.StripParensAndCasts();
            if (o.Type.IsPointer) self = PointerValue(o, 0) is { } pv ? (pv.Base, [new IndexStep(pv.Offset)]) : null;
            else self = Location(o, 0);
        }
        else if (Frame is { ThisKnown: true } outer) self = outer.This;
        var frame = new AccessorFrame(call, decl.Key, values, references, pointers, parameters.Select(p => p.Key).ToHashSet(StringComparer.Ordinal), thisKnown, self);
        _frames.Add(frame);
        try
        {
            Lvalue(body.Children[0].Children[0], mode);
        }
        finally
        {
            _frames.RemoveAt(_frames.Count - 1);
        }
        return true;
    }

    /// <summary>A method the analyzer does not read in place may read any part of its object.</summary>
    private void ObjectStateRead(SyntaxNode call, SyntaxNode? obj)
    {
        MemoryBase? b = null;
        if (obj is null)
        {
            if (Frame is { ThisKnown: true } f) b = f.This?.Base;
            else if (_loop.Function.Node.Decl?.Kind == DeclKind.Method) b = ThisBase;
            else return; // a static member function called from a free function has no object
        }
        else
        {
            var o = obj.StripParensAndCasts();
            b = o.Type.IsPointer ? PointerValue(o, 0)?.Base : Location(o, 0)?.Base;
        }
        var text = SourceText.Of(call);
        b ??= new MemoryBase("unknown:" + text, text, BaseKind.LoadedPointer, null);
        _body.Accesses.Add(new MemoryAccess(b, [new IndexStep(null)], true, false, call, _innerStack.ToList()) { UnknownExtent = true, Site = Site });
    }

    /// <summary>A member's name; dependent member references have no spelling, so it comes from the text (`v.size`).</summary>
    private static string MemberName(SyntaxNode member)
    {
        if (member.Spelling.Length > 0) return member.Spelling;
        var text = SourceText.Of(member);
        var cut = Math.Max(text.LastIndexOf('.'), text.LastIndexOf("->", StringComparison.Ordinal) + 1);
        return cut >= 0 && cut + 1 < text.Length ? text[(cut + 1)..].Trim() : text;
    }

    /// <summary>The name of an unresolved (dependent) callee, if it is spelled out.</summary>
    internal static string? UnresolvedCallee(SyntaxNode call)
    {
        var first = call.Children.FirstOrDefault()?.StripParensAndCasts();
        if (first is { Kind: NodeKind.OverloadedDeclRef or NodeKind.DeclRef } && first.Spelling.Length > 0) return first.Spelling;
        var over = call.DescendantsAndSelf().FirstOrDefault(c => c.Kind == NodeKind.OverloadedDeclRef);
        return over?.Spelling.Length > 0 ? over.Spelling : null;
    }

    private SyntaxNode? LambdaOf(SyntaxNode? obj)
    {
        if (obj?.StripParensAndCasts() is not { Kind: NodeKind.DeclRef, Decl: { } d }) return null;
        var def = _loop.Function.SingleDefinition(d.Key) ?? (_loop.Function.DeclarationOf(d.Key) is { } decl ? FunctionScope.InitializerOf(decl) : null);
        var s = def?.StripParensAndCasts();
        while (s is not null && s.Kind != NodeKind.Lambda && s.Children.Count == 1) s = s.Children[0];
        return s?.Kind == NodeKind.Lambda ? s : null;
    }

    private void InlineLambda(SyntaxNode lambda)
    {
        foreach (var n in lambda.DescendantsAndSelf())
            if (n.Kind is NodeKind.VarDecl or NodeKind.ParmDecl && n.Decl is { } d && !d.IsGlobalStorage) _body.Locals.Add(d.Key);
        var body = lambda.Children.LastOrDefault(c => c.Kind == NodeKind.Compound);
        if (body is null) return;
        var outerLoopish = _loopish;
        var outerBreak = _breakable;
        _loopish = 1; // `return` in a lambda returns from the lambda, not from the loop
        _breakable = 1;
        _inLambda++;
        foreach (var s in body.DescendantsAndSelf().Where(x => x.Kind == NodeKind.Return).ToList())
            _lambdaReturns.Add(s);
        foreach (var s in body.Children) Statement(s);
        _inLambda--;
        _loopish = outerLoopish;
        _breakable = outerBreak;
    }

    // ---- reductions -------------------------------------------------------------------------------

    /// <summary>Recognizes a statement that only folds a value into a scalar; records it as a reduction update.</summary>
    private bool TryReduction(SyntaxNode stmt)
    {
        var s = stmt.StripParensAndCasts();
        switch (s.Kind)
        {
            case NodeKind.CompoundAssign when s.Children.Count == 2 && Candidate(s.Children[0]) is { } v:
            {
                var op = s.BinaryOp.ArithmeticOf() switch
                {
                    BinaryOp.Add => "+", BinaryOp.Sub => "-", BinaryOp.Mul => "*",
                    BinaryOp.And => "&", BinaryOp.Or => "|", BinaryOp.Xor => "^", _ => null,
                };
                if (op is null || SyntaxEquality.Mentions(s.Children[1], v.Key)) return false;
                Walk(s.Children[1], Mode.Read);
                Event(v, ScalarEventKind.ReductionUpdate, s, op);
                return true;
            }
            case NodeKind.Unary when s.UnaryOp.IsIncDec() && s.Children.Count == 1 && Candidate(s.Children[0]) is { } v:
                Event(v, ScalarEventKind.ReductionUpdate, s, s.UnaryOp is UnaryOp.PostInc or UnaryOp.PreInc ? "+" : "-");
                return true;
            case NodeKind.Binary when s.BinaryOp == BinaryOp.Assign && s.Children.Count == 2 && Candidate(s.Children[0]) is { } v:
            {
                if (AssignedFold(v, s.Children[1]) is not { } fold) return false;
                Walk(fold.Operand, Mode.Read);
                Event(v, ScalarEventKind.ReductionUpdate, s, fold.Op);
                return true;
            }
            case NodeKind.If when s.Children.Count == 2:
                return IfMinMax(s);
            default:
                return false;
        }
    }

    /// <summary>A scalar declared outside the loop that a reduction clause could name.</summary>
    private DeclInfo? Candidate(SyntaxNode target)
    {
        var t = target.StripParensAndCasts();
        if (t.Kind != NodeKind.DeclRef || t.Decl is not { } d) return null;
        if (d.Kind is not (DeclKind.Variable or DeclKind.Parameter) || d.Type.IsAtomic || d.Type.IsVolatile || d.Type.IsReference) return null;
        if (!d.Type.IsScalarValue && d.Type.Shape != TypeShape.Dependent) return null;
        if (_body.Locals.Contains(d.Key) || _rangeElements.ContainsKey(d.Key) || _loop.Header?.Variable?.Key == d.Key) return null;
        return d;
    }

    /// <summary>`v = v op e`, `v = e op v`, `v = max(v, e)`, `v = e > v ? e : v` …</summary>
    private static (string Op, SyntaxNode Operand)? AssignedFold(DeclInfo v, SyntaxNode rhs)
    {
        var r = rhs.StripParensAndCasts();
        bool IsV(SyntaxNode n) => n.StripParensAndCasts() is { Kind: NodeKind.DeclRef } x && x.Decl?.Key == v.Key;
        bool Free(SyntaxNode n) => !SyntaxEquality.Mentions(n, v.Key);
        switch (r.Kind)
        {
            case NodeKind.Binary when r.Children.Count == 2:
            {
                var op = r.BinaryOp switch
                {
                    BinaryOp.Add => "+", BinaryOp.Mul => "*", BinaryOp.And => "&", BinaryOp.Or => "|", BinaryOp.Xor => "^",
                    BinaryOp.LAnd => "&&", BinaryOp.LOr => "||", BinaryOp.Sub => "-", _ => null,
                };
                if (op is null) return null;
                var (a, b) = (r.Children[0], r.Children[1]);
                if (IsV(a) && Free(b)) return (op, b);
                if (op != "-" && IsV(b) && Free(a)) return (op, a);
                // `s = s + a + b` parses as (s + a) + b: peel the left spine for + and *.
                if (op is "+" or "*" && Free(b) && AssignedFold(v, a) is { } inner && inner.Op == op) return (op, r);
                return null;
            }
            case NodeKind.Conditional when r.Children.Count == 3:
            {
                var c = r.Children[0].StripParensAndCasts();
                if (c.Kind != NodeKind.Binary || c.BinaryOp is not (BinaryOp.LT or BinaryOp.GT or BinaryOp.LE or BinaryOp.GE) || c.Children.Count != 2) return null;
                var (x, y) = (c.Children[0], c.Children[1]);
                var (t, f) = (r.Children[1], r.Children[2]);
                var greater = c.BinaryOp is BinaryOp.GT or BinaryOp.GE;
                // x > y ? x : y  is max;  x > y ? y : x  is min.
                SyntaxNode? e = null;
                if (IsV(x) && Free(y)) e = y; else if (IsV(y) && Free(x)) e = x;
                if (e is null) return null;
                if (SyntaxEquality.Same(t, x) && SyntaxEquality.Same(f, y)) return (greater ? "max" : "min", e);
                if (SyntaxEquality.Same(t, y) && SyntaxEquality.Same(f, x)) return (greater ? "min" : "max", e);
                return null;
            }
            case NodeKind.Call:
            {
                var name = r.Decl?.Name ?? UnresolvedCallee(r);
                var qualified = r.Decl?.QualifiedName ?? name;
                var op = name switch
                {
                    "fmax" or "fmaxf" or "fmaxl" or "max" => "max",
                    "fmin" or "fminf" or "fminl" or "min" => "min",
                    _ => null,
                };
                if (op is null || !(qualified == name || qualified == "std::" + name)) return null;
                var (_, args) = CallParts(r);
                if (args.Count != 2) return null;
                if (IsV(args[0]) && Free(args[1])) return (op, args[1]);
                if (IsV(args[1]) && Free(args[0])) return (op, args[0]);
                return null;
            }
            default:
                return null;
        }
    }

    /// <summary>`if (e > m) m = e;` (and the <, >=, <= and swapped forms).</summary>
    private bool IfMinMax(SyntaxNode ifStmt)
    {
        var c = ifStmt.Children[0].StripParensAndCasts();
        var then = ifStmt.Children[1];
        if (then.Kind == NodeKind.Compound) { if (then.Children.Count != 1) return false; then = then.Children[0]; }
        var assign = then.StripParensAndCasts();
        if (assign.Kind != NodeKind.Binary || assign.BinaryOp != BinaryOp.Assign || assign.Children.Count != 2) return false;
        if (Candidate(assign.Children[0]) is not { } v) return false;
        if (c.Kind != NodeKind.Binary || c.BinaryOp is not (BinaryOp.LT or BinaryOp.GT or BinaryOp.LE or BinaryOp.GE) || c.Children.Count != 2) return false;
        var value = assign.Children[1];
        if (SyntaxEquality.Mentions(value, v.Key)) return false;
        var (x, y) = (c.Children[0].StripParensAndCasts(), c.Children[1].StripParensAndCasts());
        bool IsV(SyntaxNode n) => n.Kind == NodeKind.DeclRef && n.Decl?.Key == v.Key;
        string? op = null;
        var greater = c.BinaryOp is BinaryOp.GT or BinaryOp.GE;
        if (IsV(y) && SyntaxEquality.Same(x, value)) op = greater ? "max" : "min";      // e > m → max
        else if (IsV(x) && SyntaxEquality.Same(y, value)) op = greater ? "min" : "max"; // m > e → min
        if (op is null) return false;
        Walk(value, Mode.Read);
        Event(v, ScalarEventKind.ReductionUpdate, ifStmt, op);
        return true;
    }
}
