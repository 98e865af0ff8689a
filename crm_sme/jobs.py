# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Scheduled jobs that one bad record cannot stop.

Every crm_sme scheduled job hands its work to :func:`run_isolated`: the
records go in small batches, each in a savepoint; a batch that fails is
done again one record at a time, and a record that still fails is logged
with its model and id and skipped, the job goes on with the next one.
Outside tests the job commits after each batch, so a long job keeps what
it did and holds no lock for long.
"""

import logging
import threading

from odoo.tools import split_every

_logger = logging.getLogger(__name__)

BATCH_SIZE = 200


def run_isolated(records, process, job, batch_size=BATCH_SIZE):
    """Calls ``process(batch)`` for ``records`` in batches, isolating failures.

    :param records: recordset to work on
    :param process: callable taking a recordset (a batch or one record);
        everything it writes for a record must happen inside it, so a
        failing record leaves nothing half-written
    :param str job: name of the job, for the log
    :returns: the records processed without error
    """
    env = records.env
    auto_commit = not getattr(threading.current_thread(), "testing", False)
    done_ids = []
    for ids in split_every(batch_size, records.ids):
        batch = records.browse(ids)
        try:
            with env.cr.savepoint():
                process(batch)
            done_ids.extend(ids)
        except Exception:  # pylint: disable=broad-except
            for record in batch:
                try:
                    with env.cr.savepoint():
                        process(record)
                    done_ids.append(record.id)
                except Exception:  # pylint: disable=broad-except
                    _logger.exception(
                        "%s: %s record %s failed, skipped", job, record._name, record.id
                    )
        if auto_commit:
            env.cr.commit()  # pylint: disable=invalid-commit
    return records.browse(done_ids)
