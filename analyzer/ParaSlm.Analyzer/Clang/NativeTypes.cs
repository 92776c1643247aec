using System.Runtime.InteropServices;

namespace ParaSlm.Analyzer.Clang;

// Layouts mirror clang-c/Index.h (stable across libclang versions since 3.x).

[StructLayout(LayoutKind.Sequential)]
internal struct CXCursor
{
    public int Kind;
    public int XData;
    public IntPtr Data0;
    public IntPtr Data1;
    public IntPtr Data2;
}

[StructLayout(LayoutKind.Sequential)]
internal struct CXType
{
    public int Kind;
    public IntPtr Data0;
    public IntPtr Data1;
}

[StructLayout(LayoutKind.Sequential)]
internal struct CXString
{
    public IntPtr Data;
    public uint Flags;
}

[StructLayout(LayoutKind.Sequential)]
internal struct CXSourceLocation
{
    public IntPtr Ptr0;
    public IntPtr Ptr1;
    public uint IntData;
}

[StructLayout(LayoutKind.Sequential)]
internal struct CXSourceRange
{
    public IntPtr Ptr0;
    public IntPtr Ptr1;
    public uint BeginIntData;
    public uint EndIntData;
}

[StructLayout(LayoutKind.Sequential)]
internal struct CXToken
{
    public uint Int0;
    public uint Int1;
    public uint Int2;
    public uint Int3;
    public IntPtr PtrData;
}

internal static class CursorKinds
{
    public const int StructDecl = 2, UnionDecl = 3, ClassDecl = 4, FieldDecl = 6, FunctionDecl = 8, VarDecl = 9, ParmDecl = 10;
    public const int CXXMethod = 21, Namespace = 22, Constructor = 24, Destructor = 25, ConversionFunction = 26;
    public const int FunctionTemplate = 30, ClassTemplate = 31, ClassTemplatePartialSpecialization = 32;
    public const int TypeRef = 43, TemplateRef = 45, NamespaceRef = 46, MemberRef = 47, OverloadedDeclRef = 49, VariableRef = 50;
    public const int UnexposedExpr = 100, DeclRefExpr = 101, MemberRefExpr = 102, CallExpr = 103;
    public const int IntegerLiteral = 106, FloatingLiteral = 107, StringLiteral = 109, CharacterLiteral = 110;
    public const int ParenExpr = 111, UnaryOperator = 112, ArraySubscriptExpr = 113, BinaryOperator = 114;
    public const int CompoundAssignOperator = 115, ConditionalOperator = 116, CStyleCastExpr = 117;
    public const int InitListExpr = 119, StmtExpr = 121;
    public const int CXXStaticCastExpr = 124, CXXDynamicCastExpr = 125, CXXReinterpretCastExpr = 126, CXXConstCastExpr = 127;
    public const int CXXFunctionalCastExpr = 128, CXXBoolLiteralExpr = 130, CXXNullPtrLiteralExpr = 131, CXXThisExpr = 132;
    public const int CXXThrowExpr = 133, CXXNewExpr = 134, CXXDeleteExpr = 135, UnaryExpr = 136, LambdaExpr = 144;
    public const int UnexposedStmt = 200, LabelStmt = 201, CompoundStmt = 202, CaseStmt = 203, DefaultStmt = 204;
    public const int IfStmt = 205, SwitchStmt = 206, WhileStmt = 207, DoStmt = 208, ForStmt = 209;
    public const int GotoStmt = 210, IndirectGotoStmt = 211, ContinueStmt = 212, BreakStmt = 213, ReturnStmt = 214;
    public const int GCCAsmStmt = 215, CXXCatchStmt = 223, CXXTryStmt = 224, CXXForRangeStmt = 225, MSAsmStmt = 229;
    public const int NullStmt = 230, DeclStmt = 231;
    public const int FirstOpenMP = 232, LastOpenMP = 320;
    public const int TranslationUnit = 350;
    public const int FirstAttr = 400, LastAttr = 441;
    public const int MacroDefinition = 501, MacroExpansion = 502, InclusionDirective = 503;
}

internal static class TypeKinds
{
    public const int Invalid = 0, Unexposed = 1, Void = 2, Bool = 3;
    public const int FirstBuiltin = 2, LastBuiltin = 40;
    public const int Float = 21, Double = 22, LongDouble = 23;
    public const int Pointer = 101, BlockPointer = 102, LValueReference = 103, RValueReference = 104, Record = 105, Enum = 106;
    public const int Typedef = 107, FunctionProto = 111, ConstantArray = 112, Vector = 113, IncompleteArray = 114;
    public const int VariableArray = 115, DependentSizedArray = 116, MemberPointer = 117, Auto = 118, Elaborated = 119;
    public const int Atomic = 177;
}
