"""The window's training worker runs a preset's schedule through the engine: same numbers."""

from models.atomic_write import csv_text
from models.experiment import Experiment
from models.history import event_rows, history_rows
from models.presets import load_preset


def test_worker_runs_leaky_rescues_like_the_command_line(qtbot, lab_app):
    from gui.networks.training_worker import TrainingWorker

    preset = load_preset("leaky-rescues")
    worker = TrainingWorker()
    frames = []
    worker.frame_ready.connect(lambda frame: (frames.append(frame), worker.acknowledge()))
    worker.start()
    try:
        worker.reset(Experiment(preset.config), preset)
        worker.step(320)
        qtbot.waitUntil(lambda: bool(frames) and frames[-1].snapshot.step == 320
                        and not worker._commands, timeout=120_000)
        exp = worker.experiment
    finally:
        assert worker.stop()
    reference = Experiment(preset.config, schedule=preset.schedule)
    reference.run(320)
    seed = preset.config.seed
    assert csv_text(*history_rows(exp.history, seed)) == \
        csv_text(*history_rows(reference.history, seed))
    assert csv_text(*event_rows(exp.history)) == csv_text(*event_rows(reference.history))
    assert [e.step for e in exp.history.events] == [300, 300, 300]
    assert all(net.activation == "leaky_relu" for net in exp.networks)
