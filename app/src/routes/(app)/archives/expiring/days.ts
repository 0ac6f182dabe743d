/** How far ahead the expiring list looks, in days. */
export const DAY_CHOICES = [30, 90, 180]
