using System.Text;
using Akka.Configuration;
using Akka.Configuration.Hocon;
using AkkaWal.Hosting.Configuration;

namespace AkkaWal.Hosting.Persistence;

/// <summary>Copies a configuration section under another path (a plugin's defaults under a custom plugin id).</summary>
internal static class HoconSections
{
    public static Config MoveTo(Config section, string path)
    {
        var sb = new StringBuilder();
        sb.Append(path).Append(" {\n");
        Render(section.Root, sb);
        sb.Append("}\n");
        return ConfigurationFactory.ParseString(sb.ToString());
    }

    private static void Render(HoconValue value, StringBuilder sb)
    {
        foreach (var (key, child) in value.GetObject().Items)
        {
            sb.Append(HoconText.Quote(key));
            if (child.IsObject())
            {
                sb.Append(" {\n");
                Render(child, sb);
                sb.Append("}\n");
            }
            else if (child.IsArray())
                sb.Append(" = [").Append(string.Join(", ", child.GetArray().Select(v => HoconText.Quote(v.GetString())))).Append("]\n");
            else
                sb.Append(" = ").Append(HoconText.Quote(child.GetString())).Append('\n');
        }
    }
}
