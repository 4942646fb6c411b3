-- The dashboard and the work queues over a state's millions of files: the
-- open ones (a fifth, say) by department and service and by age, and the
-- decided ones by day of decision with what turnaround needs, so each
-- figure reads an index, not the table. The status list is written out as
-- the queries write it, so the planner can use the partial indexes.
CREATE INDEX applications_open ON applications (plugin_id, service_id, submitted_at_ms)
    WHERE status IN ('submitted', 'under_review', 'needs_information');
CREATE INDEX applications_open_age ON applications (submitted_at_ms)
    WHERE status IN ('submitted', 'under_review', 'needs_information');
DROP INDEX applications_decided;
CREATE INDEX applications_decided ON applications (decided_at_ms, plugin_id, service_id, submitted_at_ms)
    WHERE decided_at_ms IS NOT NULL;
-- Filters by district, and a department's applications by day.
CREATE INDEX applications_district ON applications (district, plugin_id, status);
CREATE INDEX applications_department_day ON applications (plugin_id, submitted_at_ms);
-- Replaced by the partial ones above (the planner took it for the open
-- statuses and sorted a fifth of the table for a work queue).
DROP INDEX applications_status;
