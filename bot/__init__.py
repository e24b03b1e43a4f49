"""The bot layer: questions in, cited bilingual answers out."""
