using System.Runtime.InteropServices;

namespace ParaSlm.Analyzer.Clang;

/// <summary>
/// The slice of the libclang C API the analyzer uses, bound once per loaded library.
/// Function pointers (not DllImport) so the library path is chosen at run time per instance,
/// with no process-wide resolver state.
/// </summary>
internal sealed unsafe class LibClangApi
{
    public string LibraryPath { get; }

    public readonly delegate* unmanaged<int, int, IntPtr> CreateIndex;
    public readonly delegate* unmanaged<IntPtr, void> DisposeIndex;
    public readonly delegate* unmanaged<IntPtr, byte*, byte**, int, IntPtr, uint, uint, IntPtr*, int> ParseTranslationUnit2;
    public readonly delegate* unmanaged<IntPtr, void> DisposeTranslationUnit;
    public readonly delegate* unmanaged<IntPtr, CXCursor> GetTranslationUnitCursor;
    public readonly delegate* unmanaged<CXCursor, IntPtr, IntPtr, uint> VisitChildren;
    public readonly delegate* unmanaged<CXCursor, int> GetCursorKind;
    public readonly delegate* unmanaged<CXCursor, CXString> GetCursorSpelling;
    public readonly delegate* unmanaged<CXString, byte*> GetCString;
    public readonly delegate* unmanaged<CXString, void> DisposeString;
    public readonly delegate* unmanaged<CXCursor, CXSourceRange> GetCursorExtent;
    public readonly delegate* unmanaged<CXCursor, CXSourceLocation> GetCursorLocation;
    public readonly delegate* unmanaged<CXSourceRange, CXSourceLocation> GetRangeStart;
    public readonly delegate* unmanaged<CXSourceRange, CXSourceLocation> GetRangeEnd;
    public readonly delegate* unmanaged<CXSourceLocation, IntPtr*, uint*, uint*, uint*, void> GetExpansionLocation;
    public readonly delegate* unmanaged<IntPtr, CXString> GetFileName;
    public readonly delegate* unmanaged<IntPtr, CXString> FileRealPathName;
    public readonly delegate* unmanaged<CXSourceLocation, int> LocationIsFromMainFile;
    public readonly delegate* unmanaged<CXSourceLocation, int> LocationIsInSystemHeader;
    public readonly delegate* unmanaged<CXCursor, CXType> GetCursorType;
    public readonly delegate* unmanaged<CXType, CXString> GetTypeSpelling;
    public readonly delegate* unmanaged<CXType, CXType> GetCanonicalType;
    public readonly delegate* unmanaged<CXType, CXType> GetPointeeType;
    public readonly delegate* unmanaged<CXType, CXType> GetArrayElementType;
    public readonly delegate* unmanaged<CXType, long> GetArraySize;
    public readonly delegate* unmanaged<CXType, CXType> GetNonReferenceType;
    public readonly delegate* unmanaged<CXType, uint> IsConstQualifiedType;
    public readonly delegate* unmanaged<CXType, uint> IsVolatileQualifiedType;
    public readonly delegate* unmanaged<CXType, uint> IsRestrictQualifiedType;
    public readonly delegate* unmanaged<CXType, CXType> GetValueType;
    public readonly delegate* unmanaged<CXCursor, CXCursor> GetCursorReferenced;
    public readonly delegate* unmanaged<CXCursor, CXString> GetCursorUsr;
    public readonly delegate* unmanaged<CXCursor, int> CursorIsNull;
    public readonly delegate* unmanaged<CXCursor, int> GetBinaryOperatorKind;
    public readonly delegate* unmanaged<CXCursor, int> GetUnaryOperatorKind;
    public readonly delegate* unmanaged<CXCursor, IntPtr> CursorEvaluate;
    public readonly delegate* unmanaged<IntPtr, int> EvalResultGetKind;
    public readonly delegate* unmanaged<IntPtr, long> EvalResultGetAsLongLong;
    public readonly delegate* unmanaged<IntPtr, void> EvalResultDispose;
    public readonly delegate* unmanaged<CXCursor, int> CursorGetStorageClass;

    /// <summary>`clang_getCursorTLSKind` (libclang 16+; null where missing): 0 none, 1 dynamic, 2 static thread-local storage.</summary>
    public readonly delegate* unmanaged<CXCursor, int> GetCursorTlsKind;

    /// <summary>`clang_getCXXAccessSpecifier`: 0 invalid (not a member), 1 public, 2 protected, 3 private.</summary>
    public readonly delegate* unmanaged<CXCursor, int> GetCxxAccessSpecifier;
    public readonly delegate* unmanaged<CXCursor, CXCursor> GetCursorSemanticParent;
    public readonly delegate* unmanaged<CXCursor, uint> IsCursorDefinition;
    public readonly delegate* unmanaged<IntPtr, uint> GetNumDiagnostics;
    public readonly delegate* unmanaged<IntPtr, uint, IntPtr> GetDiagnostic;
    public readonly delegate* unmanaged<IntPtr, int> GetDiagnosticSeverity;
    public readonly delegate* unmanaged<IntPtr, uint, CXString> FormatDiagnostic;
    public readonly delegate* unmanaged<IntPtr, CXSourceLocation> GetDiagnosticLocation;
    public readonly delegate* unmanaged<IntPtr, CXString> GetDiagnosticSpelling;
    public readonly delegate* unmanaged<IntPtr, void> DisposeDiagnostic;
    public readonly delegate* unmanaged<IntPtr, CXSourceRange, CXToken**, uint*, void> Tokenize;
    public readonly delegate* unmanaged<IntPtr, CXToken, CXString> GetTokenSpelling;
    public readonly delegate* unmanaged<IntPtr, CXToken, CXSourceRange> GetTokenExtent;
    public readonly delegate* unmanaged<IntPtr, CXToken*, uint, void> DisposeTokens;
    public readonly delegate* unmanaged<CXString> GetClangVersion;
    public readonly delegate* unmanaged<IntPtr, IntPtr, IntPtr, void> GetInclusions;

    public LibClangApi(string libraryPath, IntPtr handle)
    {
        LibraryPath = libraryPath;
        IntPtr F(string name) => NativeLibrary.TryGetExport(handle, name, out var p)
            ? p
            : throw new LibClangNotFoundException(Diagnostics.Diagnostic.Warning("PSLM0002",
                $"{libraryPath} does not export {name}; ParaSlm needs libclang 17 or newer (19 recommended)."));

        CreateIndex = (delegate* unmanaged<int, int, IntPtr>)F("clang_createIndex");
        DisposeIndex = (delegate* unmanaged<IntPtr, void>)F("clang_disposeIndex");
        ParseTranslationUnit2 = (delegate* unmanaged<IntPtr, byte*, byte**, int, IntPtr, uint, uint, IntPtr*, int>)F("clang_parseTranslationUnit2");
        DisposeTranslationUnit = (delegate* unmanaged<IntPtr, void>)F("clang_disposeTranslationUnit");
        GetTranslationUnitCursor = (delegate* unmanaged<IntPtr, CXCursor>)F("clang_getTranslationUnitCursor");
        VisitChildren = (delegate* unmanaged<CXCursor, IntPtr, IntPtr, uint>)F("clang_visitChildren");
        GetCursorKind = (delegate* unmanaged<CXCursor, int>)F("clang_getCursorKind");
        GetCursorSpelling = (delegate* unmanaged<CXCursor, CXString>)F("clang_getCursorSpelling");
        GetCString = (delegate* unmanaged<CXString, byte*>)F("clang_getCString");
        DisposeString = (delegate* unmanaged<CXString, void>)F("clang_disposeString");
        GetCursorExtent = (delegate* unmanaged<CXCursor, CXSourceRange>)F("clang_getCursorExtent");
        GetCursorLocation = (delegate* unmanaged<CXCursor, CXSourceLocation>)F("clang_getCursorLocation");
        GetRangeStart = (delegate* unmanaged<CXSourceRange, CXSourceLocation>)F("clang_getRangeStart");
        GetRangeEnd = (delegate* unmanaged<CXSourceRange, CXSourceLocation>)F("clang_getRangeEnd");
        GetExpansionLocation = (delegate* unmanaged<CXSourceLocation, IntPtr*, uint*, uint*, uint*, void>)F("clang_getExpansionLocation");
        GetFileName = (delegate* unmanaged<IntPtr, CXString>)F("clang_getFileName");
        FileRealPathName = (delegate* unmanaged<IntPtr, CXString>)F("clang_File_tryGetRealPathName");
        LocationIsFromMainFile = (delegate* unmanaged<CXSourceLocation, int>)F("clang_Location_isFromMainFile");
        LocationIsInSystemHeader = (delegate* unmanaged<CXSourceLocation, int>)F("clang_Location_isInSystemHeader");
        GetCursorType = (delegate* unmanaged<CXCursor, CXType>)F("clang_getCursorType");
        GetTypeSpelling = (delegate* unmanaged<CXType, CXString>)F("clang_getTypeSpelling");
        GetCanonicalType = (delegate* unmanaged<CXType, CXType>)F("clang_getCanonicalType");
        GetPointeeType = (delegate* unmanaged<CXType, CXType>)F("clang_getPointeeType");
        GetArrayElementType = (delegate* unmanaged<CXType, CXType>)F("clang_getArrayElementType");
        GetArraySize = (delegate* unmanaged<CXType, long>)F("clang_getArraySize");
        GetNonReferenceType = (delegate* unmanaged<CXType, CXType>)F("clang_getNonReferenceType");
        IsConstQualifiedType = (delegate* unmanaged<CXType, uint>)F("clang_isConstQualifiedType");
        IsVolatileQualifiedType = (delegate* unmanaged<CXType, uint>)F("clang_isVolatileQualifiedType");
        IsRestrictQualifiedType = (delegate* unmanaged<CXType, uint>)F("clang_isRestrictQualifiedType");
        GetValueType = (delegate* unmanaged<CXType, CXType>)F("clang_Type_getValueType");
        GetCursorReferenced = (delegate* unmanaged<CXCursor, CXCursor>)F("clang_getCursorReferenced");
        GetCursorUsr = (delegate* unmanaged<CXCursor, CXString>)F("clang_getCursorUSR");
        CursorIsNull = (delegate* unmanaged<CXCursor, int>)F("clang_Cursor_isNull");
        GetBinaryOperatorKind = (delegate* unmanaged<CXCursor, int>)F("clang_getCursorBinaryOperatorKind");
        GetUnaryOperatorKind = (delegate* unmanaged<CXCursor, int>)F("clang_getCursorUnaryOperatorKind");
        CursorEvaluate = (delegate* unmanaged<CXCursor, IntPtr>)F("clang_Cursor_Evaluate");
        EvalResultGetKind = (delegate* unmanaged<IntPtr, int>)F("clang_EvalResult_getKind");
        EvalResultGetAsLongLong = (delegate* unmanaged<IntPtr, long>)F("clang_EvalResult_getAsLongLong");
        EvalResultDispose = (delegate* unmanaged<IntPtr, void>)F("clang_EvalResult_dispose");
        CursorGetStorageClass = (delegate* unmanaged<CXCursor, int>)F("clang_Cursor_getStorageClass");
        GetCursorTlsKind = NativeLibrary.TryGetExport(handle, "clang_getCursorTLSKind", out var tls) ? (delegate* unmanaged<CXCursor, int>)tls : null;
        GetCxxAccessSpecifier = (delegate* unmanaged<CXCursor, int>)F("clang_getCXXAccessSpecifier");
        GetCursorSemanticParent = (delegate* unmanaged<CXCursor, CXCursor>)F("clang_getCursorSemanticParent");
        IsCursorDefinition = (delegate* unmanaged<CXCursor, uint>)F("clang_isCursorDefinition");
        GetNumDiagnostics = (delegate* unmanaged<IntPtr, uint>)F("clang_getNumDiagnostics");
        GetDiagnostic = (delegate* unmanaged<IntPtr, uint, IntPtr>)F("clang_getDiagnostic");
        GetDiagnosticSeverity = (delegate* unmanaged<IntPtr, int>)F("clang_getDiagnosticSeverity");
        FormatDiagnostic = (delegate* unmanaged<IntPtr, uint, CXString>)F("clang_formatDiagnostic");
        GetDiagnosticLocation = (delegate* unmanaged<IntPtr, CXSourceLocation>)F("clang_getDiagnosticLocation");
        GetDiagnosticSpelling = (delegate* unmanaged<IntPtr, CXString>)F("clang_getDiagnosticSpelling");
        DisposeDiagnostic = (delegate* unmanaged<IntPtr, void>)F("clang_disposeDiagnostic");
        Tokenize = (delegate* unmanaged<IntPtr, CXSourceRange, CXToken**, uint*, void>)F("clang_tokenize");
        GetTokenSpelling = (delegate* unmanaged<IntPtr, CXToken, CXString>)F("clang_getTokenSpelling");
        GetTokenExtent = (delegate* unmanaged<IntPtr, CXToken, CXSourceRange>)F("clang_getTokenExtent");
        DisposeTokens = (delegate* unmanaged<IntPtr, CXToken*, uint, void>)F("clang_disposeTokens");
        GetClangVersion = (delegate* unmanaged<CXString>)F("clang_getClangVersion");
        GetInclusions = (delegate* unmanaged<IntPtr, IntPtr, IntPtr, void>)F("clang_getInclusions");
    }

    /// <summary>Copies a CXString into managed memory and frees the native one.</summary>
    public string Take(CXString s)
    {
        try
        {
            var p = GetCString(s);
            return p == null ? string.Empty : Marshal.PtrToStringUTF8((IntPtr)p) ?? string.Empty;
        }
        finally
        {
            DisposeString(s);
        }
    }
}
