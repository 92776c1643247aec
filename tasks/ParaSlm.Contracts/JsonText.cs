using System.Text;

namespace ParaSlm.Contracts;

/// <summary>
/// Just enough JSON writing for the engine request. netstandard2.0 has no System.Text.Json, and a package
/// dependency would have to be loaded next to MSBuild's own copy; the request is small and flat.
/// </summary>
public sealed class JsonText
{
    private readonly StringBuilder _text = new();
    private readonly Stack<bool> _first = new();
    private int Depth => _first.Count;

    public JsonText BeginObject(string? name = null) => Open(name, '{');
    public JsonText EndObject() => Close('}');
    public JsonText BeginArray(string? name = null) => Open(name, '[');
    public JsonText EndArray() => Close(']');

    public JsonText Property(string name, string? value)
    {
        Separator();
        Name(name);
        Value(value);
        return this;
    }

    public JsonText Property(string name, int value)
    {
        Separator();
        Name(name);
        _text.Append(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return this;
    }

    public JsonText Property(string name, bool value)
    {
        Separator();
        Name(name);
        _text.Append(value ? "true" : "false");
        return this;
    }

    public JsonText Property(string name, double? value)
    {
        Separator();
        Name(name);
        _text.Append(value is { } v ? v.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : "null");
        return this;
    }

    public JsonText Property(string name, bool? value)
    {
        Separator();
        Name(name);
        _text.Append(value is { } v ? (v ? "true" : "false") : "null");
        return this;
    }

    public JsonText Item(string? value)
    {
        Separator();
        Value(value);
        return this;
    }

    public override string ToString() => _text.ToString();

    private JsonText Open(string? name, char bracket)
    {
        if (Depth > 0) Separator();
        if (name is not null) Name(name);
        _text.Append(bracket);
        _first.Push(true);
        return this;
    }

    private JsonText Close(char bracket)
    {
        var empty = _first.Pop();
        if (!empty)
        {
            _text.Append('\n').Append(' ', Depth * 2);
        }
        _text.Append(bracket);
        if (Depth == 0) _text.Append('\n');
        return this;
    }

    // One member per line keeps the request readable and diffable when a build is investigated.
    private void Separator()
    {
        if (!_first.Peek()) _text.Append(',');
        _first.Pop();
        _first.Push(false);
        _text.Append('\n').Append(' ', Depth * 2);
    }

    private void Name(string name)
    {
        Value(name);
        _text.Append(": ");
    }

    private void Value(string? value)
    {
        if (value is null)
        {
            _text.Append("null");
            return;
        }
        _text.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': _text.Append("\\\""); break;
                case '\\': _text.Append("\\\\"); break;
                case '\n': _text.Append("\\n"); break;
                case '\r': _text.Append("\\r"); break;
                case '\t': _text.Append("\\t"); break;
                default:
                    if (c < 0x20) _text.Append("\\u").Append(((int)c).ToString("x4"));
                    else _text.Append(c);
                    break;
            }
        }
        _text.Append('"');
    }
}
