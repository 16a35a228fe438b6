"""The jobs a learner or the command line does, without Qt: each takes its input, works
through the stores and the model client, and says what it changed (tutor/services/changes.py)
so that every view showing that kind of thing refreshes itself."""
