namespace OgActors.Imaging.Formats;

/// <summary>The program that made an image (OpenGnsys's first info field).</summary>
public enum CloneTool { Partclone, Ntfsclone, Partimage, Dd }
