"""Audio helpers shared by the stand-in's and the shim's audio tests: a tiny WAV file, its base64,
multipart/form-data bodies as an OpenAI client sends them, and SSE frames read back."""
import base64
import json
import struct

BOUNDARY = "----shimAudioBoundary7MA4YWxk"


def wav_bytes(samples=800):
    """A valid 8 kHz mono 16-bit PCM WAV file of silence."""
    data = b"\x00\x00" * samples
    fmt = struct.pack("<HHIIHH", 1, 1, 8000, 16000, 2, 16)
    return (b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVE" + b"fmt " + struct.pack("<I", 16) + fmt +
            b"data" + struct.pack("<I", len(data)) + data)


def wav_base64(samples=800):
    return base64.b64encode(wav_bytes(samples)).decode()


def multipart(fields, file_bytes=None, filename="speech.wav"):
    """(body, content type) for form fields and an optional `file` part."""
    out = b""
    for name, value in fields.items():
        out += (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").encode()
    if file_bytes is not None:
        out += (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
                "Content-Type: audio/wav\r\n\r\n").encode() + file_bytes + b"\r\n"
    out += f"--{BOUNDARY}--\r\n".encode()
    return out, f"multipart/form-data; boundary={BOUNDARY}"


def sse_events(raw):
    """The data payloads of an SSE body, in order ("[DONE]" kept as a string)."""
    events = []
    for block in raw.decode().split("\n\n"):
        if block.startswith("data: "):
            payload = block[6:]
            events.append(payload if payload == "[DONE]" else json.loads(payload))
    return events
