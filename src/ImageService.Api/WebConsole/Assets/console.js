// The web console's only script (docs/console.md): local times, and the live import progress.
'use strict';

function showLocalTimes(root) {
    const format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
    for (const time of root.querySelectorAll('time[datetime]')) {
        const value = new Date(time.getAttribute('datetime'));
        if (!Number.isNaN(value.getTime())) {
            time.textContent = format.format(value);
        }
    }
}

const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

function bytes(value) {
    if (value < 1024) {
        return value === 1 ? '1 byte' : `${value} bytes`;
    }
    let scaled = value;
    let unit = 0;
    while (scaled >= 1024 && unit < units.length - 1) {
        scaled /= 1024;
        unit++;
    }
    return `${scaled.toFixed(1).replace(/\.0$/, '')} ${units[unit]}`;
}

function duration(seconds) {
    if (seconds < 60) {
        return `${Math.max(1, Math.round(seconds))} s`;
    }
    const minutes = Math.floor(seconds / 60);
    return minutes < 60 ? `${minutes} min ${Math.round(seconds % 60)} s` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

// Polls the image's progress once a second; when the image leaves "importing", the page reloads to
// show its final state (active with its hashes, or killed with the reason).
function followProgress(panel) {
    const url = panel.dataset.progressUrl;
    const bar = panel.querySelector('progress');
    const field = name => panel.querySelector(`[data-progress="${name}"]`);
    let previous = null;
    let rate = null;

    async function poll() {
        let response;
        try {
            response = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store' });
        } catch {
            setTimeout(poll, 3000);
            return;
        }
        if (response.status === 401) {
            window.location.assign('/console/sign-in?returnUrl=' + encodeURIComponent(window.location.pathname));
            return;
        }
        if (!response.ok) {
            setTimeout(poll, 3000);
            return;
        }
        const progress = await response.json();
        if (progress.status !== 'importing' && !(progress.import && ['queued', 'running'].includes(progress.import.state))) {
            window.location.reload();
            return;
        }
        const imp = progress.import;
        if (imp) {
            const done = imp.bytes_done;
            const total = imp.bytes_total;
            if (total > 0) {
                bar.max = total;
                bar.value = done;
            }
            field('bytes').textContent = total > 0 ? `${bytes(done)} of ${bytes(total)} (${Math.floor((done / total) * 100)}%)` : bytes(done);
            const now = performance.now();
            if (previous && now > previous.at && done >= previous.done) {
                const sample = ((done - previous.done) * 1000) / (now - previous.at);
                rate = rate === null ? sample : (rate * 0.7) + (sample * 0.3);
            }
            previous = { at: now, done };
            if (rate !== null) {
                field('rate').textContent = `${bytes(Math.round(rate))}/s`;
                field('left').textContent = total > 0 && rate > 0 ? `about ${duration((total - done) / rate)} left` : 'time left unknown';
            }
            field('state').textContent = `The import is ${imp.state}. This page updates by itself.`;
        }
        setTimeout(poll, 1000);
    }

    setTimeout(poll, 500);
}

document.addEventListener('DOMContentLoaded', () => {
    showLocalTimes(document);
    const panel = document.querySelector('[data-progress-url]');
    if (panel) {
        followProgress(panel);
    }
});
