namespace System.Runtime.CompilerServices;

/// <summary>netstandard2.0 lacks the marker type that `init` accessors and records compile against.</summary>
internal static class IsExternalInit
{
}
