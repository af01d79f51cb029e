/** The rating of one picture as five star buttons and Clear (1–5 and 0 on the keyboard). */
import type { Rating } from '../../../shared/api';

const STARS = [1, 2, 3, 4, 5] as const;

export function starsLabel(rating: number): string {
  return rating === 1 ? '1 star' : `${rating} stars`;
}

export function RatingStars({
  rating,
  onRate,
}: {
  rating: number;
  onRate: (rating: Rating) => void;
}) {
  return (
    <div
      className="rating-stars"
      role="group"
      aria-label={rating > 0 ? `Rating: ${starsLabel(rating)}` : 'Rating: none'}
    >
      {STARS.map((n) => (
        <button
          key={n}
          type="button"
          className={
            n <= rating ? 'rating-stars__star rating-stars__star--on' : 'rating-stars__star'
          }
          aria-label={`Rate ${starsLabel(n)}`}
          aria-pressed={n === rating}
          title={`${starsLabel(n)} (${n})`}
          onClick={() => onRate(n === rating ? 0 : n)}
        >
          {n <= rating ? '★' : '☆'}
        </button>
      ))}
      <button
        type="button"
        className="rating-stars__clear"
        aria-label="Clear the rating"
        title="No rating (0)"
        disabled={rating === 0}
        onClick={() => onRate(0)}
      >
        ×
      </button>
    </div>
  );
}
