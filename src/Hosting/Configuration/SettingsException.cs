namespace OgActors.Hosting.Configuration;

/// <summary>A setting is missing or wrong. The message is one sentence for the operator; hosts print it and exit 2.</summary>
public sealed class SettingsException(string message) : Exception(message);
