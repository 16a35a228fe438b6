"""Speaking to Tutor: recording, transcription, recordings kept, talk mode."""
