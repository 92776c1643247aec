namespace ParaSlm.Analyzer.Syntax;

/// <summary>Binary operators, numbered as libclang's CXBinaryOperatorKind.</summary>
public enum BinaryOp
{
    None = 0, PtrMemD, PtrMemI, Mul, Div, Rem, Add, Sub, Shl, Shr, Cmp, LT, GT, LE, GE, EQ, NE,
    And, Xor, Or, LAnd, LOr, Assign, MulAssign, DivAssign, RemAssign, AddAssign, SubAssign,
    ShlAssign, ShrAssign, AndAssign, XorAssign, OrAssign, Comma,
}

/// <summary>Unary operators, numbered as libclang's CXUnaryOperatorKind.</summary>
public enum UnaryOp
{
    None = 0, PostInc, PostDec, PreInc, PreDec, AddrOf, Deref, Plus, Minus, Not, LNot, Real, Imag, Extension, Coawait,
}

public static class OperatorFacts
{
    public static bool IsAssignment(this BinaryOp op) => op is >= BinaryOp.Assign and <= BinaryOp.OrAssign;

    public static bool IsCompoundAssignment(this BinaryOp op) => op is > BinaryOp.Assign and <= BinaryOp.OrAssign;

    public static bool IsComparison(this BinaryOp op) => op is >= BinaryOp.LT and <= BinaryOp.NE;

    public static bool IsIncDec(this UnaryOp op) => op is UnaryOp.PostInc or UnaryOp.PostDec or UnaryOp.PreInc or UnaryOp.PreDec;

    /// <summary>The arithmetic operator a compound assignment applies (`+=` → `+`).</summary>
    public static BinaryOp ArithmeticOf(this BinaryOp op) => op switch
    {
        BinaryOp.MulAssign => BinaryOp.Mul,
        BinaryOp.DivAssign => BinaryOp.Div,
        BinaryOp.RemAssign => BinaryOp.Rem,
        BinaryOp.AddAssign => BinaryOp.Add,
        BinaryOp.SubAssign => BinaryOp.Sub,
        BinaryOp.ShlAssign => BinaryOp.Shl,
        BinaryOp.ShrAssign => BinaryOp.Shr,
        BinaryOp.AndAssign => BinaryOp.And,
        BinaryOp.XorAssign => BinaryOp.Xor,
        BinaryOp.OrAssign => BinaryOp.Or,
        _ => BinaryOp.None,
    };

    public static string Text(this BinaryOp op) => op switch
    {
        BinaryOp.Mul => "*", BinaryOp.Div => "/", BinaryOp.Rem => "%", BinaryOp.Add => "+", BinaryOp.Sub => "-",
        BinaryOp.Shl => "<<", BinaryOp.Shr => ">>", BinaryOp.LT => "<", BinaryOp.GT => ">", BinaryOp.LE => "<=",
        BinaryOp.GE => ">=", BinaryOp.EQ => "==", BinaryOp.NE => "!=", BinaryOp.And => "&", BinaryOp.Xor => "^",
        BinaryOp.Or => "|", BinaryOp.LAnd => "&&", BinaryOp.LOr => "||", BinaryOp.Assign => "=",
        BinaryOp.Comma => ",", _ when op.IsCompoundAssignment() => op.ArithmeticOf().Text() + "=",
        _ => op.ToString(),
    };
}
