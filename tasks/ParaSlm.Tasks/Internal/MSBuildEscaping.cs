using System.Text;

namespace ParaSlm.Tasks.Internal;

/// <summary>MSBuild's %XX escaping for a single value, so a path with ';', '%' or '$' stays one literal entry.</summary>
internal static class MSBuildEscaping
{
    private const string Special = "%*?@$();'";

    public static string Escape(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (Special.IndexOf(c) >= 0) text.Append('%').Append(((int)c).ToString("X2"));
            else text.Append(c);
        }
        return text.ToString();
    }
}
